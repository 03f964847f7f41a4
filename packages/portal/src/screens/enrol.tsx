// Enrol with an invitation code: the code from the organisation coordinator makes this
// device's passkey; the code is single-use (docs/portal.md "Signing in"). An empty field is
// listed in an error summary that takes the focus, as on the place-signal form. Someone
// signed in gets no form: their own extra passkey is made on My devices.
import { useRef, useState } from 'preact/hooks';
import { enrol, signOut } from '../api/session.js';
import { useApp } from '../app-context.js';
import { Alert, Button, ErrorSummary, Heading1, Link, P, TextField } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { href } from '../router.js';
import { errorMessage } from './errors.js';

export function Enrol() {
  const { t } = useI18n();
  const app = useApp();
  const [code, setCode] = useState('');
  const [device, setDevice] = useState('');
  const [errors, setErrors] = useState<{ code?: string; device?: string }>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [signedOutHere, setSignedOutHere] = useState(false);
  const summaryRef = useRef<HTMLElement>(null);
  async function submit(e: Event) {
    e.preventDefault();
    const next: { code?: string; device?: string } = {};
    if (code.trim() === '') next.code = t('enrol.error.code');
    if (device.trim() === '') next.device = t('enrol.error.device');
    setErrors(next);
    if (Object.keys(next).length > 0) {
      queueMicrotask(() => summaryRef.current?.focus());
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await enrol(code.trim(), device.trim());
      setDone(true);
    } catch (x) {
      setFailure(errorMessage(t, x, 'sign-in'));
    } finally {
      setBusy(false);
    }
  }
  if (done)
    return (
      <div class="sluis-stack">
        <Heading1>{t('enrol.title')}</Heading1>
        <Alert type="ok" focus>
          {t('enrol.done')}
        </Alert>
        <Link href={href('/sign-in')}>{t('signIn.title')}</Link>
      </div>
    );
  // Signed in already: an own extra passkey is added on My devices, not with a code. The form
  // is not offered; someone else who has a code signs this person out first.
  const session = app.session;
  if (session !== null)
    return (
      <div class="sluis-stack">
        <Heading1>{t('enrol.title')}</Heading1>
        <Alert type="info">
          <P>{t('pro.enrol.signedIn')}</P>
          <P>
            <Link href={href('/devices')}>{t('devices.title')}</Link>
          </P>
        </Alert>
        <P>{t('enrol.signedIn.otherPerson')}</P>
        <Button
          type="button"
          variant="secondary"
          onClick={() => {
            void signOut(session).catch(() => {});
            setSignedOutHere(true);
            app.setSession(null);
          }}
        >
          {t('enrol.signedIn.signOut')}
        </Button>
      </div>
    );
  return (
    <form class="sluis-stack" onSubmit={submit} noValidate>
      {/* After signing out here the button is gone: the form's heading takes the focus. */}
      <Heading1 focus={signedOutHere}>{t('enrol.title')}</Heading1>
      <P>{t('enrol.intro')}</P>
      <ErrorSummary
        id="enrol-errors"
        title={t('enrol.errors.title')}
        errors={[
          ...(errors.code === undefined ? [] : [['enrol-code', errors.code] as const]),
          ...(errors.device === undefined ? [] : [['enrol-device', errors.device] as const]),
        ]}
        summaryRef={summaryRef}
      />
      <TextField
        id="enrol-code"
        label={t('enrol.code')}
        value={code}
        onInput={setCode}
        error={errors.code}
        autoComplete="one-time-code"
        required
      />
      <TextField
        id="enrol-device"
        label={t('enrol.device')}
        description={t('enrol.device.help')}
        value={device}
        onInput={setDevice}
        error={errors.device}
        required
      />
      {/* A refusal takes the focus, as on the other screens (docs/portal.md "Accessibility"). */}
      {failure === null ? null : (
        <Alert type="error" focus>
          {failure}
        </Alert>
      )}
      <Button type="submit" busy={busy}>
        {t('enrol.button')}
      </Button>
    </form>
  );
}
