// The start screen: what the portal is, and the way in (sign in or enrol).
import { useApp } from '../app-context.js';
import { Heading1, Link, P } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { href } from '../router.js';

export function Home() {
  const { t } = useI18n();
  const { session } = useApp();
  return (
    <div class="sluis-stack">
      <Heading1>{t('home.title')}</Heading1>
      <P>{t('home.intro')}</P>
      <P>{t('home.privacy')}</P>
      {session === null ? (
        <ul class="utrecht-link-list utrecht-link-list--html-ul">
          <li class="utrecht-link-list__item">
            <Link href={href('/sign-in')}>{t('signIn.title')}</Link>
          </li>
          <li class="utrecht-link-list__item">
            <Link href={href('/enrol')}>{t('enrol.title')}</Link>
          </li>
        </ul>
      ) : (
        <P>{t('home.signedIn')}</P>
      )}
    </div>
  );
}
