// The signed-in frame: a header with who is signed in (name, organisation and its kind, role),
// the navigation to each capability the user's permissions open, and the page itself.
import { useEffect, useRef } from 'preact/hooks';
import type { Me } from '../api/types';
import { findCapability, mayOpen, visibleCapabilities } from '../capabilities/registry';
import type { Capability } from '../capabilities/types';
import { ensureMessages, useI18n } from '../i18n';
import { HomePage } from '../pages/HomePage';
import { NotFoundPage, NotPermittedPage } from '../pages/StatusPages';
import { AsyncState, useResource } from '../ui';
import { LanguagePicker } from './LanguagePicker';
import { href, useRoute } from './router';

/** A capability's page: its code and its texts in the current language are loaded when it is
 * first opened. A change of language reloads only the texts; the page stays mounted. */
function CapabilityPage({ capability, me }: { capability: Capability; me: Me }) {
  const { lang } = useI18n();
  const page = useResource(async () => {
    const [Page] = await Promise.all([
      capability.page(),
      capability.messages ? ensureMessages(capability.id, capability.messages, lang) : undefined,
    ]);
    return { Page };
  }, [capability, lang]);
  return <AsyncState resource={page}>{({ Page }) => <Page me={me} capability={capability} />}</AsyncState>;
}

export function Shell({ me, onLogout }: { me: Me; onLogout: () => void }) {
  const { t, tid, lang } = useI18n();
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  const visible = visibleCapabilities(me.permissions, me.user.role);
  const pageId = route.split('/')[1] ?? '';

  // After a change of page, move focus to its heading so that keyboard and screen-reader
  // users start reading the new page (the first render keeps focus where it is).
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  }, [route]);

  let content;
  if (pageId === '') {
    content = <HomePage me={me} capabilities={visible} />;
  } else {
    const capability = findCapability(pageId);
    if (!capability) content = <NotFoundPage />;
    else if (!mayOpen(capability, me.permissions, me.user.role)) content = <NotPermittedPage role={me.user.role} />;
    else content = <CapabilityPage key={capability.id} capability={capability} me={me} />;
  }

  const org = me.user.organisation;
  return (
    <div class="shell">
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          mainRef.current?.focus();
        }}
      >
        {t('shell.skip')}
      </a>
      <header class="topbar">
        <a class="brand" href={href('/')}>
          <span class="brand-mark" aria-hidden="true">
            ct
          </span>
          <span class="brand-name">{t('app.title')}</span>
        </a>
        <dl class="whoami" aria-label={t('shell.user')}>
          <div>
            <dt class="visually-hidden">{t('shell.user')}</dt>
            <dd class="whoami-name" data-testid="user-name">
              {me.user.username}
            </dd>
          </div>
          <div>
            <dt class="visually-hidden">{t('shell.organisation')}</dt>
            <dd data-testid="user-organisation">
              {org.name} <span class="muted">· {tid('orgkind', org.kind)}</span>
            </dd>
          </div>
          <div>
            <dt class="visually-hidden">{t('shell.role')}</dt>
            <dd>
              <span class="badge" data-testid="user-role" data-role={me.user.role}>
                {tid('role', me.user.role)}
              </span>
            </dd>
          </div>
        </dl>
        <div class="topbar-actions">
          <LanguagePicker id="shell-language" />
          <button type="button" class="button button-quiet" onClick={onLogout}>
            {t('shell.logout')}
          </button>
        </div>
      </header>
      <nav class="mainnav" aria-label={t('shell.nav_label')}>
        <ul>
          <li>
            <a href={href('/')} aria-current={pageId === '' ? 'page' : undefined} data-nav="home">
              {t('nav.home')}
            </a>
          </li>
          {visible.map((c) => (
            <li key={c.id}>
              <a href={href('/' + c.id)} aria-current={pageId === c.id ? 'page' : undefined} data-nav={c.id}>
                {c.label[lang]}
                {c.coming && <span class="nav-tag"> · {t('nav.coming')}</span>}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" class="content" ref={mainRef} tabIndex={-1}>
        {content}
      </main>
    </div>
  );
}
