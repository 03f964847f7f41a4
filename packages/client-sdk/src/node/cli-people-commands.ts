// `sluis people …`: an organisation's coordinator manages the organisation's people and
// their passkeys from the command line (docs/sdk.md "People"): list, add, remove, invite
// (a single-use enrolment code, printed once for the person), devices and remove-device.
// Invariant: ids are checked by the client before anything is sent; the invitation
// prints only the code and its expiry.

import type { Device, Person } from '../client/people-requests.js';
import { usageError } from './cli-config.js';
import { type Ctx, EXIT, client, out, positional, table } from './cli-context.js';

/**
 * An invitation's text output, shared by `sluis people invite` and `sluis-server admin invite`: the
 * code and its expiry, nothing else about the person. A person has one code at a time, so a new code
 * replaces an unused earlier one (docs/operations.md "Sign-in"); whether there was one is not known here.
 */
export const enrolmentCodeText = (c: { code: string; expiresAt: string }): string =>
  `enrolment code (single use, give it to the person only): ${c.code}\nvalid until ${c.expiresAt}\n` +
  'if this person had an unused code, it no longer works';

const personRow = (p: Person) => [p.id, p.status, p.roles.join(','), p.displayName];
const deviceRow = (d: Device) => [d.id, d.name, d.createdAt, d.lastUsedAt ?? 'never'];

export async function people(ctx: Ctx): Promise<number> {
  const sub = ctx.positionals[1] ?? 'list';
  const c = await client(ctx, false);
  switch (sub) {
    case 'list': {
      const list = await c.listPeople();
      out(ctx, table([['PERSON', 'STATUS', 'ROLES', 'NAME'], ...list.map(personRow)]), list);
      return EXIT.ok;
    }
    case 'add': {
      const roles = (ctx.values.role ?? '').split(',').filter((r) => r !== '');
      if (ctx.values.name === undefined || roles.length === 0)
        throw usageError('people add needs --name and --role');
      const p = await c.addPerson({
        displayName: ctx.values.name,
        roles,
        ...(ctx.values.email === undefined ? {} : { email: ctx.values.email }),
      });
      out(ctx, `added ${p.id} (${p.roles.join(',')})`, p);
      return EXIT.ok;
    }
    case 'remove': {
      const p = await c.removePerson(positional(ctx, 2, 'personId'));
      out(ctx, `removed ${p.id}; their sessions have ended`, p);
      return EXIT.ok;
    }
    case 'invite': {
      const code = await c.invite(positional(ctx, 2, 'personId'));
      out(ctx, enrolmentCodeText(code), code);
      return EXIT.ok;
    }
    case 'devices': {
      const list = await c.listDevices(positional(ctx, 2, 'personId'));
      out(ctx, table([['DEVICE', 'NAME', 'REGISTERED', 'LAST USED'], ...list.map(deviceRow)]), list);
      return EXIT.ok;
    }
    case 'remove-device': {
      await c.removeDevice(positional(ctx, 2, 'personId'), positional(ctx, 3, 'deviceId'));
      out(ctx, 'device removed; its sessions have ended', { removed: true });
      return EXIT.ok;
    }
    default:
      throw usageError('people needs list, add, remove, invite, devices or remove-device');
  }
}
