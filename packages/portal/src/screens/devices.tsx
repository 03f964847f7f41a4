// Manage own devices (passkeys): list, add one while signed in, remove one. Adding and
// removing each need a passkey the person already has to confirm first (a step-up,
// docs/protocol.md §10.6), so a session alone cannot do either. Adding is two steps: confirm
// with an existing passkey, then create the new one on the device being added. Removing the
// device in use ends this session at the next request (docs/api.md "Sign-in").
import { useState } from 'preact/hooks';
import { addDevice, confirmAddDevice, type PendingDevice, removeOwnDevice } from '../api/session.js';
import { useApp } from '../app-context.js';
import { Alert, Button, Heading1, Heading2, P, TextField } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { type Device, DeviceList } from './device-list.js';
import { errorMessage } from './errors.js';

export function Devices() {
  const { t } = useI18n();
  const app = useApp();
  const [name, setName] = useState('');
  const [added, setAdded] = useState(0);
  const [pending, setPending] = useState<PendingDevice | null>(null);
  const [status, setStatus] = useState<{ type: 'ok' | 'info' | 'error'; text: string } | null>(null);
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  async function confirm(e: Event) {
    e.preventDefault();
    setStatus(null);
    if (name.trim() === '') {
      setNameError(t('devices.error.name'));
      document.getElementById('device-name')?.focus();
      return;
    }
    setNameError(undefined);
    if (app.session === null) return;
    try {
      setPending(await confirmAddDevice(app.session));
      setStatus({ type: 'info', text: t('devices.confirmed') });
    } catch (x) {
      setStatus({ type: 'error', text: errorMessage(t, x) });
    }
  }
  async function create() {
    if (pending === null || app.session === null) return;
    try {
      await addDevice(app.session, pending, name.trim());
      setStatus({ type: 'ok', text: t('devices.added', { name: name.trim() }) });
      setName('');
      setAdded((n) => n + 1);
    } catch (x) {
      setStatus({ type: 'error', text: errorMessage(t, x) });
    }
    // Used or refused: the step-up is single use either way.
    setPending(null);
  }
  const remove = async (d: Device) => {
    if (app.session !== null) await removeOwnDevice(app.session, d.id);
  };
  return (
    <div class="sluis-stack">
      <Heading1>{t('devices.title')}</Heading1>
      <P>{t('devices.intro')}</P>
      {status === null ? null : (
        // An added device's result (or a refusal) takes the focus from the button it replaced;
        // the step-up's "now create it" leaves the focus for the button that follows.
        <Alert type={status.type} focus={status.type !== 'info'}>
          {status.text}
        </Alert>
      )}
      <DeviceList path="/v1/me/devices" caption={t('devices.caption')} version={added} removeWith={remove} />
      <form class="sluis-stack" onSubmit={confirm} noValidate>
        <Heading2>{t('devices.add')}</Heading2>
        <P>{t('devices.addIntro')}</P>
        <TextField
          id="device-name"
          label={t('coordfix.devices.newName')}
          description={t('coordfix.devices.newName.description')}
          value={name}
          onInput={setName}
          error={nameError}
        />
        {pending === null ? (
          <Button type="submit" variant="secondary">
            {t('devices.confirm')}
          </Button>
        ) : (
          <Button variant="primary" onClick={() => void create()}>
            {t('devices.create')}
          </Button>
        )}
      </form>
    </div>
  );
}
