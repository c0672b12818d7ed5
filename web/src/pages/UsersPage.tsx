// Users of the organisation (users.read): list, add (users.manage) and disable (users.manage).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post } from '../api/client';
import { ROLES, type Me, type User } from '../api/types';
import { useI18n } from '../i18n';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function UsersPage({ me }: { me: Me }) {
  const { t, tid } = useI18n();
  const mayRead = me.permissions.includes('users.read');
  const mayManage = me.permissions.includes('users.manage');
  const [users, setUsers] = useState<User[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  async function load() {
    if (!mayRead) return;
    setLoadError(null);
    try {
      const answer = await get<{ users: User[] }>('/users');
      setUsers(answer.users);
    } catch (e) {
      setLoadError(message(e));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function disable(user: User) {
    setActionError(null);
    setStatus(null);
    try {
      const answer = await post<{ user: User }>(`/users/${encodeURIComponent(String(user.id))}/disable`);
      const updated = answer?.user ?? { ...user, disabled: true };
      setUsers((list) => (list ?? []).map((u) => (u.id === user.id ? updated : u)));
      setStatus(t('users.disabled_done', { username: user.username }));
    } catch (e) {
      setActionError(message(e));
    } finally {
      setConfirming(null);
    }
  }

  return (
    <section class="page">
      <h1>{t('users.title')}</h1>
      <p class="lead">{t('users.intro', { org: me.user.organisation.name })}</p>
      {!mayManage && <p class="notice notice-info">{t('users.readonly')}</p>}
      <div role="status" aria-live="polite">
        {status && <p class="notice notice-success">{status}</p>}
      </div>
      {actionError && (
        <p class="notice notice-error" role="alert">
          {t('common.error', { message: actionError })}
        </p>
      )}

      {mayRead && (
        <div class="card">
          {loadError && (
            <p class="notice notice-error" role="alert">
              {t('common.error', { message: loadError })}{' '}
              <button type="button" class="button button-small" onClick={() => void load()}>
                {t('common.retry')}
              </button>
            </p>
          )}
          {!users && !loadError && <p role="status">{t('common.loading')}</p>}
          {users && users.length === 0 && <p>{t('users.none')}</p>}
          {users && users.length > 0 && (
            <div class="table-scroll">
              <table class="table" data-testid="users-table">
                <caption class="visually-hidden">{t('users.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('users.col.username')}</th>
                    <th scope="col">{t('users.col.role')}</th>
                    <th scope="col">{t('users.col.status')}</th>
                    {mayManage && <th scope="col">{t('users.col.actions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {users.map((u) => (
                    <tr key={u.id} data-username={u.username}>
                      <th scope="row">
                        {u.username}
                        {u.id === me.user.id && <span class="muted"> {t('users.you')}</span>}
                      </th>
                      <td>{tid('role', u.role)}</td>
                      <td>
                        <span class={u.disabled ? 'badge badge-muted' : 'badge badge-ok'}>
                          {u.disabled ? t('users.status.disabled') : t('users.status.active')}
                        </span>
                      </td>
                      {mayManage && (
                        <td>
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
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}

      {mayManage && (
        <AddUserForm
          onAdded={(user) => {
            setUsers((list) => [...(list ?? []), user]);
            setStatus(t('users.add.done', { username: user.username }));
          }}
        />
      )}
    </section>
  );
}

function AddUserForm({ onAdded }: { onAdded: (user: User) => void }) {
  const { t, tid } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<string>('screener');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await post<{ user: User }>('/users', { username: username.trim(), password, role });
      onAdded(answer.user);
      setUsername('');
      setPassword('');
    } catch (err) {
      setError({ text: message(err), field: err instanceof ApiError ? err.field : undefined });
    } finally {
      setBusy(false);
    }
  }

  const invalid = (field: string) => (error?.field === field ? true : undefined);
  return (
    <form class="card form-grid" onSubmit={submit} aria-labelledby="add-user-title">
      <h2 id="add-user-title">{t('users.add.title')}</h2>
      <div class="field">
        <label for="new-username">{t('users.add.username')}</label>
        <input
          id="new-username"
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          required
          aria-invalid={invalid('username')}
          value={username}
          onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for="new-password">{t('users.add.password')}</label>
        <input
          id="new-password"
          type="password"
          autocomplete="new-password"
          required
          aria-describedby="new-password-hint"
          aria-invalid={invalid('password')}
          value={password}
          onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
        />
        <p id="new-password-hint" class="hint">
          {t('users.add.password_hint')}
        </p>
      </div>
      <div class="field">
        <label for="new-role">{t('users.add.role')}</label>
        <select id="new-role" value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {tid('role', r)}
            </option>
          ))}
        </select>
      </div>
      {error && (
        <p class="notice notice-error" role="alert">
          {t('common.error', { message: error.text })}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {t('users.add.submit')}
        </button>
      </div>
    </form>
  );
}
