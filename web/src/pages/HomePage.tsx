import type { Me } from '../api/types';
import { useI18n } from '../i18n';
import type { Capability } from '../capabilities/types';
import { href } from '../shell/router';

export function HomePage({ me, capabilities }: { me: Me; capabilities: Capability[] }) {
  const { t, lang } = useI18n();
  return (
    <section class="page">
      <h1>{t('home.welcome', { name: me.user.username })}</h1>
      <p class="lead">{capabilities.length ? t('home.intro') : t('home.nothing')}</p>
      <ul class="tiles">
        {capabilities.map((c) => (
          <li key={c.id}>
            <a class="tile" href={href('/' + c.id)}>
              <span class="tile-title">
                {c.label[lang]}
                {c.coming && <span class="nav-tag"> · {t('nav.coming')}</span>}
              </span>
              <span class="tile-text">{c.description[lang]}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
