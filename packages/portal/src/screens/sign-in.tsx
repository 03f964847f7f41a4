// Sign in with a passkey (docs/portal.md "Signing in"): one button; the browser asks for
// the passkey; the session key never leaves WebCrypto.
import { useState } from 'preact/hooks';
import { signIn } from '../api/session.js';
import { useApp } from '../app-context.js';
import { Alert, Button, Heading1, Link, P } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { href, navigate } from '../router.js';
import { errorMessage } from './errors.js';

/** Where a person lands after signing in: their role's first screen, else the start page. */
export function landingPath(roles: readonly string[]): string {
  if (roles.includes('professional')) return '/matches';
  if (roles.includes('organisation_coordinator')) return '/organisation';
  if (roles.includes('match_coordinator')) return '/follow-up';
  if (roles.includes('administrator')) return '/municipality';
  if (roles.includes('auditor')) return '/logbook';
  if (roles.includes('gdpr_desk')) return '/gdpr';
  return '/';
}

/** Whether one of the roles has a screen of its own in the portal (besides "My devices"). */
export function hasScreen(roles: readonly string[]): boolean {
  return landingPath(roles) !== '/';
}

/**
 * `returnHere`: the sign-in is shown in place of a screen that needs a session (a deep link such
 * as `#/matches/<id>`, or a reload after the session ended); when the signed-in person's roles
 * open that screen, the page stays on it instead of going to the landing page.
 */
export function SignIn({ returnHere }: { returnHere?: (roles: readonly string[]) => boolean } = {}) {
  const { t } = useI18n();
  const app = useApp();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  async function go() {
    setBusy(true);
    setFailure(null);
    try {
      const session = await signIn();
      app.setSession(session);
      if (returnHere?.(session.roles) !== true) navigate(landingPath(session.roles));
    } catch (e) {
      setFailure(errorMessage(t, e, 'sign-in'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="sluis-stack">
      <Heading1>{t('signIn.title')}</Heading1>
      <P>{t('signIn.intro')}</P>
      {/* A refusal takes the focus, as on the other screens (docs/portal.md "Accessibility"). */}
      {failure === null ? null : (
        <Alert type="error" focus>
          {failure}
        </Alert>
      )}
      <Button onClick={go} busy={busy}>
        {t('signIn.button')}
      </Button>
      <P>
        {t('signIn.noPasskey')} <Link href={href('/enrol')}>{t('enrol.title')}</Link>
      </P>
    </div>
  );
}
