// One person's passkey devices, listed and removable: the person's own (`/v1/me/devices`)
// or, for an organisation coordinator, a colleague's (`/v1/people/{id}/devices`). Both
// routes list at `path`; a colleague's device is removed at `path/{deviceId}`, one's own
// with a step-up of an existing passkey (`removeWith`, docs/api.md "Sign-in"); removing a
// device ends the sessions it opened at their next request.

import { useEffect, useState } from 'preact/hooks';
import { useApi } from '../app-context.js';
import { Alert, Button, P, Table } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { formatDateTime } from './format.js';

export interface Device {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt?: string | null;
}

export function DeviceList({
  path,
  caption,
  version = 0,
  removeWith,
}: {
  /** The list route; a device is removed at `${path}/${id}` unless `removeWith` is given. */
  path: string;
  caption: string;
  /** Changed by the owner to have the list read again (a device was added). */
  version?: number;
  /** Removes a device another way: one's own, with a step-up (docs/protocol.md §10.6). */
  removeWith?: (d: Device) => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const api = useApi();
  const [devices, setDevices] = useState<readonly Device[] | null>(null);
  const [status, setStatus] = useState<{ type: 'ok' | 'error'; text: string } | null>(null);
  const load = async () => {
    try {
      setDevices(((await api({ method: 'GET', path })) as { devices: Device[] }).devices);
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
    }
  };
  useEffect(() => {
    void load();
  }, [path, version]);
  async function remove(d: Device) {
    try {
      if (removeWith === undefined) await api({ method: 'DELETE', path: `${path}/${d.id}` });
      else await removeWith(d);
      setStatus({ type: 'ok', text: t('devices.removed', { name: d.name }) });
      await load();
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
    }
  }
  return (
    <div class="sluis-stack">
      {status === null ? null : <Alert type={status.type}>{status.text}</Alert>}
      {devices === null ? (
        <P>{t('common.loading')}</P>
      ) : (
        <Table caption={caption}>
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
                  <Button variant="secondary" onClick={() => void remove(d)}>
                    {t('devices.remove', { name: d.name })}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
