// One person's passkey devices, listed and removable: the person's own (`/v1/me/devices`)
// or, for an organisation coordinator, a colleague's (`/v1/people/{id}/devices`). Both
// routes list at `path`; a colleague's device is removed at `path/{deviceId}`, one's own
// with a step-up of an existing passkey (`removeWith`, docs/api.md "Sign-in"); removing a
// device ends the sessions it opened at their next request. Every removal has a confirm step
// naming the consequence; removing one's only passkey says that signing in is then impossible
// (docs/portal.md "Confirming"). A person without devices reads so; two devices of one name
// have removal buttons that also name their row and creation time, and the confirm step names
// the device by its name and creation time; a list opened by a button
// (`opened`) takes the focus once it is read, and a removal's result takes it once shown.

import { useEffect, useRef, useState } from 'preact/hooks';
import { useApi } from '../app-context.js';
import {
  Alert,
  Button,
  P,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  useConfirm,
} from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { formatDateTime } from './format.js';
import { Moment } from './time.js';

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
  removable = true,
  opened = false,
}: {
  /** The list route; a device is removed at `${path}/${id}` unless `removeWith` is given. */
  path: string;
  caption: string;
  /** Changed by the owner to have the list read again (a device was added). */
  version?: number;
  /** Removes a device another way: one's own, with a step-up (docs/protocol.md §10.6). */
  removeWith?: (d: Device) => Promise<void>;
  /** False: listed only (a coordinator's own devices, which only the step-up route removes). */
  removable?: boolean;
  /** Shown on request (a coordinator opened a colleague's devices): the list takes the focus once read. */
  opened?: boolean;
}) {
  const { t, lang } = useI18n();
  const api = useApi();
  const [devices, setDevices] = useState<readonly Device[] | null>(null);
  const [status, setStatus] = useState<{ type: 'ok' | 'error'; text: string } | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const load = async () => {
    try {
      setDevices(((await api({ method: 'GET', path })) as { devices: Device[] }).devices);
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
    }
  };
  useEffect(() => {
    // Another person's list: nothing of the previous one is shown (or focused) meanwhile.
    setDevices(null);
  }, [path]);
  useEffect(() => {
    void load();
  }, [path, version]);
  useEffect(() => {
    if (opened && devices !== null)
      root.current?.querySelector<HTMLElement>('.sluis-table-scroll, p[tabindex="-1"]')?.focus();
  }, [opened, path, devices === null]);
  /** The removal button's name: the device's name, and its row and creation time when another device has that name. */
  const removeLabel = (d: Device) =>
    devices!.filter((o) => o.name === d.name).length > 1
      ? t('devices.removeAt', {
          name: d.name,
          row: devices!.indexOf(d) + 1,
          created: formatDateTime(d.createdAt, lang),
        })
      : t('devices.remove', { name: d.name });
  async function remove(d: Device) {
    setStatus(null);
    try {
      if (removeWith === undefined) await api({ method: 'DELETE', path: `${path}/${d.id}` });
      else await removeWith(d);
      // A colleague's last passkey gone: only a new invitation code lets them sign in again.
      const last = removeWith === undefined && devices?.length === 1;
      const removed = t('devices.removed', { name: d.name });
      // The list is read again first, so the result that takes the focus and the list agree.
      await load();
      setStatus({ type: 'ok', text: last ? `${removed} ${t('coordfix.devices.lastRemoved')}` : removed });
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
    }
  }
  const confirmRemove = useConfirm(
    (d: Device) => ({
      id: 'confirm-device',
      title: t('confirm.removeDevice.title', { name: d.name, created: formatDateTime(d.createdAt, lang) }),
      text: t(
        removeWith === undefined
          ? 'confirm.removeDevice.text'
          : devices?.length === 1
            ? 'confirm.removeLastDevice.text'
            : 'confirm.removeOwnDevice.text',
      ),
      confirm: t('confirm.removeDevice.button', { name: d.name }),
      cancel: t('confirm.cancel'),
    }),
    (d) => void remove(d),
  );
  return (
    <div class="sluis-stack" ref={root}>
      {status === null ? null : (
        // The removal's result takes the focus: its button is gone (docs/portal.md "Accessibility").
        <Alert type={status.type} focus>
          {status.text}
        </Alert>
      )}
      {devices === null ? (
        <P>{t('common.loading')}</P>
      ) : devices.length === 0 ? (
        <p class="utrecht-paragraph" tabIndex={-1}>
          {caption}: {t('devices.none')}
        </p>
      ) : (
        <Table stacked caption={caption}>
          <TableHead columns={[t('devices.name'), t('devices.created'), t('common.actions')]} />
          <TableBody>
            {devices.map((d) => (
              <TableRow key={d.id}>
                <TableCell>{d.name}</TableCell>
                <TableCell label={t('devices.created')}>
                  <Moment value={d.createdAt} />
                </TableCell>
                <TableCell>
                  {removable ? (
                    <Button variant="secondary" onClick={() => confirmRemove.ask(d)}>
                      {removeLabel(d)}
                    </Button>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {confirmRemove.dialog}
    </div>
  );
}
