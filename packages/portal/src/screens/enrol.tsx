// Enrol with an invitation code: the code from the organisation coordinator makes this
// device's passkey; the code is single-use (docs/portal.md "Signing in"). An empty field is
// listed in an error summary that takes the focus, as on the place-signal form.
import { useRef, useState } from 'preact/hooks';
import { enrol } from '../api/session.js';
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
      setFailure(errorMessage(t, x));
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
  return (
    <form class="sluis-stack" onSubmit={submit} noValidate>
      <Heading1>{t('enrol.title')}</Heading1>
      {/* Signed in already: an own extra passkey is added on My devices, not with a code. */}
      {app.session === null ? null : (
        <Alert type="info">
          <P>{t('pro.enrol.signedIn')}</P>
          <P>
            <Link href={href('/devices')}>{t('devices.title')}</Link>
          </P>
        </Alert>
      )}
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
