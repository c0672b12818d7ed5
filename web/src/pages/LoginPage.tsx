// Sign in: POST /session, then GET /me for the permissions. 401 and 429 (with the wait from
// Retry-After) are told in words; the button stays disabled while the wait runs.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, setCsrfToken } from '../api/client';
import type { Me } from '../api/types';
import { useI18n, type MessageKey } from '../i18n';
import { LanguagePicker } from '../shell/LanguagePicker';

export function LoginPage({ notice, onSignedIn }: { notice?: MessageKey; onSignedIn: (me: Me) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [waitSeconds, setWaitSeconds] = useState(0);
  const [throttled, setThrottled] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);

  useEffect(() => usernameRef.current?.focus(), []);
  useEffect(() => {
    if (waitSeconds <= 0) return;
    const timer = window.setTimeout(() => setWaitSeconds((s) => s - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [waitSeconds]);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy || waitSeconds > 0) return;
    setBusy(true);
    setError(null);
    setThrottled(false);
    try {
      const answer = await api.post('/session', { body: { username: username.trim(), password } });
      setCsrfToken(answer.csrf_token);
      const me = await api.get('/me');
      setCsrfToken(me.csrf_token || answer.csrf_token);
      onSignedIn(me);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setError(t('login.error.credentials'));
      } else if (err instanceof ApiError && err.status === 429) {
        setThrottled(true);
        setWaitSeconds(err.retryAfter ?? 0);
      } else {
        setError(t('login.error.other', { message: err instanceof Error ? err.message : String(err) }));
      }
      setBusy(false);
    }
  }

  const throttleText = throttled
    ? waitSeconds > 0
      ? t('login.error.throttled', { seconds: waitSeconds })
      : t('login.error.throttled_unknown')
    : null;

  return (
    <main class="center-page" id="main">
      <div class="login-card card">
        <div class="brand brand-large">
          <span class="brand-mark" aria-hidden="true">
            ct
          </span>
          <span>
            <span class="brand-name">{t('app.title')}</span>
            <span class="brand-tagline">{t('app.tagline')}</span>
          </span>
        </div>
        <h1>{t('login.heading')}</h1>
        <p class="muted">{t('login.intro')}</p>
        {notice && (
          <p class="notice notice-info" role="status">
            {t(notice)}
          </p>
        )}
        <form onSubmit={submit} noValidate={false} aria-describedby={error || throttleText ? 'login-error' : undefined}>
          <div class="field">
            <label for="login-username">{t('login.username')}</label>
            <input
              id="login-username"
              name="username"
              ref={usernameRef}
              autocomplete="username"
              autocapitalize="none"
              spellcheck={false}
              required
              value={username}
              onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for="login-password">{t('login.password')}</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
          {(error || throttleText) && (
            <p id="login-error" class="notice notice-error" role="alert">
              {error ?? throttleText}
            </p>
          )}
          <button type="submit" class="button button-primary button-wide" disabled={busy || waitSeconds > 0}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
        <div class="login-language">
          <LanguagePicker id="login-language" />
        </div>
      </div>
    </main>
  );
}
