// Admin commands for organisations and their signing keys: list, show, admit, update,
// suspend, reinstate, add and revoke keys. Invariant: ids are checked locally (UUID, key
// id pattern) before anything is sent, so a malformed id never reaches a URL path.

import { type AdminValues as Values, int, need, uuidArg } from './admin-options.js';
import { itemsOf, keyLine, lines, orgLine, type Plan, pretty, simple } from './admin-output.js';
import { type CliIo, usageError } from './io.js';

/** `--match-email on|off` (the organisation's opt-in to the match notice e-mail). */
function onOff(v: string): boolean {
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw usageError('--match-email must be on or off');
}

export function planOrganisationCommand(command: string, v: Values, io: CliIo): Plan | undefined {
  const orgPath = (action = '') => `/v1/admin/organisations/${uuidArg(v.id, 'id')}${action}`;
  switch (command) {
    case 'organisations':
      return simple(io, 'GET', '/v1/admin/organisations', {}, (b) => lines(itemsOf(b), orgLine));
    case 'organisation':
      return simple(io, 'GET', orgPath(), {}, pretty);
    case 'admit-organisation': {
      const keys = v['public-key'] ?? [];
      if (keys.length === 0) throw usageError('--public-key is required');
      const body = {
        name: need(v.name, 'name'),
        type: need(v.type, 'type'),
        publicKeys: keys,
        ...(v['webhook-url'] === undefined ? {} : { webhookUrl: v['webhook-url'] }),
        ...(v.budget === undefined ? {} : { placementBudgetPerDay: int(v.budget, 'budget') }),
      };
      return simple(io, 'POST', '/v1/admin/organisations', { body }, (b) => {
        const o = (b as { organisation: Record<string, unknown> }).organisation;
        return `admitted: ${orgLine(o)}\norganisation id: ${o.id}\n`;
      });
    }
    case 'update-organisation': {
      const body = {
        ...(v['no-webhook']
          ? { webhookUrl: null }
          : v['webhook-url'] === undefined
            ? {}
            : { webhookUrl: v['webhook-url'] }),
        ...(v.budget === undefined ? {} : { placementBudgetPerDay: int(v.budget, 'budget') }),
        ...(v['match-email'] === undefined ? {} : { matchEmail: onOff(v['match-email']) }),
      };
      return simple(
        io,
        'PATCH',
        orgPath(),
        { body },
        (b) => `${orgLine((b as { organisation: Record<string, unknown> }).organisation)}\n`,
      );
    }
    case 'suspend':
    case 'reinstate':
      return simple(
        io,
        'POST',
        orgPath(`/${command}`),
        { body: {} },
        (b) => `${orgLine((b as { organisation: Record<string, unknown> }).organisation)}\n`,
      );
    case 'add-key': {
      const publicKey = need(v['public-key']?.[0], 'public-key');
      const path = v.admin ? '/v1/admin/keys' : orgPath('/keys');
      return simple(
        io,
        'POST',
        path,
        { body: { publicKey } },
        (b) => `added: ${keyLine((b as { key: Record<string, unknown> }).key)}\n`,
      );
    }
    case 'revoke-key': {
      const keyId = need(v['key-id'], 'key-id');
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(keyId)) throw usageError('--key-id is malformed');
      return simple(
        io,
        'POST',
        `/v1/admin/keys/${keyId}/revoke`,
        { body: {} },
        (b) => `revoked: ${keyLine((b as { key: Record<string, unknown> }).key)}\n`,
      );
    }
    case 'keys':
      return simple(io, 'GET', '/v1/admin/keys', {}, (b) => lines(itemsOf(b), keyLine));
    default:
      return undefined;
  }
}
