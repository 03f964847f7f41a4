// The start screen: what the portal is, and the way in (sign in or enrol). A signed-in person
// whose roles have no screen here (the municipality's GDPR desk) lands on it and reads what
// that role does, and where; one who also holds a role with a screen (a GDPR desk who is also
// auditor) reads it here beside the menu (docs/portal.md "Screens").
import { useApp } from '../app-context.js';
import { Heading1, Link, P } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { href } from '../router.js';
import { hasScreen } from './sign-in.js';

/** The roles whose work is done outside the portal, in the order their texts are shown. */
const ELSEWHERE = ['gdpr_desk'] as const;

export function Home() {
  const { t } = useI18n();
  const { session } = useApp();
  // A role with a screen of its own (hasScreen) is left out: its screen is in the menu.
  const elsewhere = ELSEWHERE.filter((r) => session?.roles.includes(r) === true && !hasScreen([r]));
  if (session !== null && (!hasScreen(session.roles) || elsewhere.length > 0)) {
    return (
      <div class="sluis-stack">
        <Heading1>{t('home.title')}</Heading1>
        <P>{t(hasScreen(session.roles) ? 'home.signedIn' : 'home.noScreen')}</P>
        {elsewhere.map((r) => (
          <P key={r}>{t(`home.role.${r}` as MessageKey)}</P>
        ))}
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
        <>
          <P>{t('home.signedIn')}</P>
          {ELSEWHERE.filter((r) => session.roles.includes(r)).map((r) => (
            <P key={r}>{t(`home.role.${r}` as MessageKey)}</P>
          ))}
        </>
      )}
    </div>
  );
}
