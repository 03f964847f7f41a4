// Manage own devices (passkeys): list, add one while signed in, remove one. Removing the
// device in use ends this session at the next request (docs/api.md "People: sessions").
import { useEffect, useState } from 'preact/hooks';
import { addDevice } from '../api/session.js';
import { useApi, useApp } from '../app-context.js';
import { Alert, Button, Heading1, Heading2, P, TextField } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { formatDateTime } from './format.js';

export interface Device {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt?: string | null;
}

export function DeviceTable({
  devices,
  onRemove,
  caption,
}: {
  devices: readonly Device[];
  onRemove: (d: Device) => void;
  caption: string;
}) {
  const { t, lang } = useI18n();
  return (
    <table class="utrecht-table utrecht-table--html-table">
      <caption class="utrecht-table__caption">{caption}</caption>
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          <th class="utrecht-table__header-cell" scope="col">
            {t('devices.name')}
          </th>
          <th class="utrecht-table__header-cell" scope="col">
            {t('devices.created')}
          </th>
          <th class="utrecht-table__header-cell" scope="col">
            {t('common.actions')}
          </th>
        </tr>
      </thead>
      <tbody class="utrecht-table__body">
        {devices.map((d) => (
          <tr class="utrecht-table__row" key={d.id}>
            <td class="utrecht-table__cell">{d.name}</td>
            <td class="utrecht-table__cell">{formatDateTime(d.createdAt, lang)}</td>
            <td class="utrecht-table__cell">
              <Button variant="secondary" onClick={() => onRemove(d)}>
                {t('devices.remove', { name: d.name })}
              </Button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Devices() {
  const { t } = useI18n();
  const app = useApp();
  const api = useApi();
  const [devices, setDevices] = useState<readonly Device[] | null>(null);
  const [name, setName] = useState('');
  const [status, setStatus] = useState<{ type: 'ok' | 'error'; text: string } | null>(null);
  const load = async () => {
    try {
      const r = (await api({ method: 'GET', path: '/v1/me/devices' })) as { devices: Device[] };
      setDevices(r.devices);
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
    }
  };
  useEffect(() => {
    void load();
  }, []);
  async function remove(d: Device) {
    try {
      await api({ method: 'DELETE', path: `/v1/me/devices/${d.id}` });
      setStatus({ type: 'ok', text: t('devices.removed', { name: d.name }) });
      await load();
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
    }
  }
  async function add(e: Event) {
    e.preventDefault();
    if (name.trim() === '' || app.session === null) return;
    try {
      await addDevice(app.session, name.trim());
      setStatus({ type: 'ok', text: t('devices.added', { name: name.trim() }) });
      setName('');
      await load();
    } catch (x) {
      setStatus({ type: 'error', text: errorMessage(t, x) });
    }
  }
  return (
    <div class="sluis-stack">
      <Heading1>{t('devices.title')}</Heading1>
      <P>{t('devices.intro')}</P>
      {status === null ? null : <Alert type={status.type}>{status.text}</Alert>}
      {devices === null ? (
        <P>{t('common.loading')}</P>
      ) : (
        <DeviceTable devices={devices} onRemove={remove} caption={t('devices.caption')} />
      )}
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
