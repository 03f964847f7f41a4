// Manage own devices (passkeys): list, add one while signed in, remove one. Removing the
// device in use ends this session at the next request (docs/api.md "People: sessions").
import { useState } from 'preact/hooks';
import { addDevice } from '../api/session.js';
import { useApp } from '../app-context.js';
import { Alert, Button, Heading1, Heading2, P, TextField } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { DeviceList } from './device-list.js';
import { errorMessage } from './errors.js';

export function Devices() {
  const { t } = useI18n();
  const app = useApp();
  const [name, setName] = useState('');
  const [added, setAdded] = useState(0);
  const [status, setStatus] = useState<{ type: 'ok' | 'error'; text: string } | null>(null);
  async function add(e: Event) {
    e.preventDefault();
    if (name.trim() === '' || app.session === null) return;
    try {
      await addDevice(app.session, name.trim());
      setStatus({ type: 'ok', text: t('devices.added', { name: name.trim() }) });
      setName('');
      setAdded((n) => n + 1);
    } catch (x) {
      setStatus({ type: 'error', text: errorMessage(t, x) });
    }
  }
  return (
    <div class="sluis-stack">
      <Heading1>{t('devices.title')}</Heading1>
      <P>{t('devices.intro')}</P>
      {status === null ? null : <Alert type={status.type}>{status.text}</Alert>}
      <DeviceList path="/v1/me/devices" caption={t('devices.caption')} version={added} />
      <form class="sluis-stack" onSubmit={add}>
        <Heading2>{t('devices.add')}</Heading2>
        <TextField id="device-name" label={t('enrol.device')} value={name} onInput={setName} />
        <Button type="submit" variant="secondary">
          {t('devices.add')}
        </Button>
      </form>
    </div>
  );
}
