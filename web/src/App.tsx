// The workbench: finds out whether a session exists (GET /me), shows the login page or the
// shell, and holds the interface language (which also sets lang and dir on <html>).
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from './api/client';
import type { Me } from './api/types';
import { I18nContext, applyToDocument, makeI18n, preloadLanguage, saveLang, savedLang, type Lang, type MessageKey } from './i18n';
import { LoginPage } from './pages/LoginPage';
import { Shell } from './shell/Shell';

type Session =
  | { state: 'loading' }
  | { state: 'unreachable'; message: string }
  | { state: 'anonymous'; notice?: MessageKey }
  | { state: 'signed_in'; me: Me };

export function App() {
  const [lang, setLangState] = useState<Lang>(savedLang());
  const setLang = useCallback((next: Lang) => {
    saveLang(next);
    // The open pages' texts in the new language first, then the switch: one re-render.
    void preloadLanguage(next).finally(() => setLangState(next));
  }, []);
  useEffect(() => applyToDocument(lang), [lang]);
  const i18n = useMemo(() => makeI18n(lang, setLang), [lang, setLang]);

  const [session, setSession] = useState<Session>({ state: 'loading' });

  const loadMe = useCallback(async () => {
    setSession({ state: 'loading' });
    try {
      const me = await api.get('/me');
      setCsrfToken(me.csrf_token);
      setSession({ state: 'signed_in', me });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setSession({ state: 'anonymous' });
      else setSession({ state: 'unreachable', message: e instanceof Error ? e.message : String(e) });
    }
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken('');
      setSession({ state: 'anonymous', notice: 'common.session_ended' });
    });
    void loadMe();
    return () => setUnauthenticatedHandler(null);
  }, [loadMe]);

  const logout = useCallback(async () => {
    try {
      await api.delete('/session');
    } catch {
      // The session may already be gone; the user is signed out either way.
    }
    setCsrfToken('');
    setSession({ state: 'anonymous' });
    window.location.hash = '#/';
  }, []);

  let body;
  if (session.state === 'loading') {
    body = (
      <p class="page-status" role="status">
        {i18n.t('common.loading')}
      </p>
    );
  } else if (session.state === 'unreachable') {
    body = (
      <main class="center-page">
        <div class="card">
          <p role="alert" class="notice notice-error">
            {i18n.t('common.error', { message: session.message })}
          </p>
          <button type="button" class="button" onClick={() => void loadMe()}>
            {i18n.t('common.retry')}
          </button>
        </div>
      </main>
    );
  } else if (session.state === 'anonymous') {
    body = <LoginPage notice={session.notice} onSignedIn={(me) => setSession({ state: 'signed_in', me })} />;
  } else {
    body = <Shell me={session.me} onLogout={logout} />;
  }
  return <I18nContext.Provider value={i18n}>{body}</I18nContext.Provider>;
}
