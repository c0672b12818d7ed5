// Users of the organisation (users.read): list, add (users.manage) and disable (users.manage).
// The roles offered are those GET /meta serves.
import { useState } from 'preact/hooks';
import { ApiError, api } from '../../api/client';
import { useMeta } from '../../api/meta';
import type { Role, User } from '../../api/types';
import { useI18n } from '../../i18n';
import { AsyncState, Card, DataTable, ErrorNotice, Field, Select, useResource, type Column } from '../../ui';
import type { PageProps } from '../types';
import type { UsersKey } from './messages';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function UsersPage({ me }: PageProps) {
  const { t, tid } = useI18n<UsersKey>();
  const mayRead = me.permissions.includes('users.read');
  const mayManage = me.permissions.includes('users.manage');
  const users = useResource(async () => (mayRead ? (await api.get('/users')).users : []), [mayRead]);
  const [status, setStatus] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  async function disable(user: User) {
    setActionError(null);
    setStatus(null);
    try {
      const answer = await api.post('/users/{id}/disable', { path: { id: user.id } });
      users.setData((list) => (list ?? []).map((u) => (u.id === user.id ? answer.user : u)));
      setStatus(t('users.disabled_done', { username: user.username }));
    } catch (e) {
      setActionError(message(e));
    } finally {
      setConfirming(null);
    }
  }

  const columns: Column<User>[] = [
    {
      key: 'username',
      header: t('users.col.username'),
      cell: (u) => (
        <>
          {u.username}
          {u.id === me.user.id && <span class="muted"> {t('users.you')}</span>}
        </>
      ),
    },
    { key: 'role', header: t('users.col.role'), cell: (u) => tid('role', u.role) },
    {
      key: 'status',
      header: t('users.col.status'),
      cell: (u) => (
        <span class={u.disabled ? 'badge badge-muted' : 'badge badge-ok'}>
          {u.disabled ? t('users.status.disabled') : t('users.status.active')}
        </span>
      ),
    },
  ];
  if (mayManage) {
    columns.push({
      key: 'actions',
      header: t('users.col.actions'),
      cell: (u) => (
        <>
          {!u.disabled && u.id !== me.user.id && confirming !== u.id && (
            <button
              type="button"
              class="button button-small button-danger-quiet"
              aria-label={t('users.disable_label', { username: u.username })}
              onClick={() => setConfirming(u.id)}
            >
              {t('users.disable')}
            </button>
          )}
          {confirming === u.id && (
            <span class="confirm" role="group" aria-label={t('users.disable_label', { username: u.username })}>
              <span>{t('users.disable_confirm', { username: u.username })}</span>{' '}
              <button type="button" class="button button-small button-danger" onClick={() => void disable(u)}>
                {t('users.disable')}
              </button>{' '}
              <button type="button" class="button button-small" onClick={() => setConfirming(null)}>
                {t('common.cancel')}
              </button>
            </span>
          )}
        </>
      ),
    });
  }

  return (
    <section class="page">
      <h1>{t('users.title')}</h1>
      <p class="lead">{t('users.intro', { org: me.user.organisation.name })}</p>
      {!mayManage && <p class="notice notice-info">{t('users.readonly')}</p>}
      <div role="status" aria-live="polite">
        {status && <p class="notice notice-success">{status}</p>}
      </div>
      {actionError && <ErrorNotice error={actionError} />}

      {mayRead && (
        <Card>
          <AsyncState resource={users}>
            {(list) => (
              <DataTable
                caption={t('users.title')}
                columns={columns}
                rows={list}
                rowKey={(u) => u.id}
                rowAttrs={(u) => ({ 'data-username': u.username })}
                testId="users-table"
                empty={t('users.none')}
              />
            )}
          </AsyncState>
        </Card>
      )}

      {mayManage && (
        <AddUserForm
          onAdded={(user) => {
            users.setData((list) => [...(list ?? []), user]);
            setStatus(t('users.add.done', { username: user.username }));
          }}
        />
      )}
    </section>
  );
}

function AddUserForm({ onAdded }: { onAdded: (user: User) => void }) {
  const { t, tid } = useI18n<UsersKey>();
  const meta = useMeta();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('screener');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post('/users', { body: { username: username.trim(), password, role } });
      onAdded(answer.user);
      setUsername('');
      setPassword('');
    } catch (err) {
      setError({ text: message(err), field: err instanceof ApiError ? err.field : undefined });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form-grid" onSubmit={submit} aria-labelledby="add-user-title">
      <h2 id="add-user-title">{t('users.add.title')}</h2>
      <Field
        id="new-username"
        label={t('users.add.username')}
        value={username}
        onValue={setUsername}
        autocomplete="off"
        autocapitalize="none"
        spellcheck={false}
        required
        invalid={error?.field === 'username'}
      />
      <Field
        id="new-password"
        type="password"
        label={t('users.add.password')}
        hint={t('users.add.password_hint')}
        value={password}
        onValue={setPassword}
        autocomplete="new-password"
        required
        invalid={error?.field === 'password'}
      />
      <AsyncState resource={meta}>
        {({ roles }) => (
          <Select
            id="new-role"
            label={t('users.add.role')}
            value={role}
            options={roles}
            optionLabel={(r) => tid('role', r)}
            onChange={setRole}
            invalid={error?.field === 'role'}
          />
        )}
      </AsyncState>
      {error && <ErrorNotice error={error.text} />}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {t('users.add.submit')}
        </button>
      </div>
    </form>
  );
}
