// The start screen: what the portal is, and the way in (sign in or enrol). Every role has a
// screen of its own and lands there after sign-in (screens/sign-in.tsx `landingPath`); a
// signed-in person who opens the start page reads "choose in the menu". A session whose roles
// open no screen (none known to this portal) reads so, with *My devices* (docs/portal.md "Screens").
import { useApp } from '../app-context.js';
import { Heading1, Link, P } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { href } from '../router.js';
import { hasScreen } from './sign-in.js';

export function Home() {
  const { t } = useI18n();
  const { session } = useApp();
  if (session !== null && !hasScreen(session.roles)) {
    return (
      <div class="sluis-stack">
        <Heading1>{t('home.title')}</Heading1>
        <P>{t('home.noScreen')}</P>
        <P>
          <Link href={href('/devices')}>{t('home.ownDevices')}</Link>
        </P>
      </div>
    );
  }
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
