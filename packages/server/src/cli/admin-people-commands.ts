// Admin commands for people and their passkeys (docs/api.md "People", "Sign-in"): list,
// add and remove people, invite one (a single-use enrolment code, shown once), list and
// remove their devices. Invariant: ids are checked locally before anything is sent; the
// summary of an invitation prints the code and its expiry, nothing else about the person.

import { enrolmentCodeText } from '@sluis/client-sdk/node';
import { MUNICIPALITY_ROLES, ORGANISATION_ROLES, PERSON_ROLES } from '@sluis/engine';
import { type AdminValues as Values, need, uuidArg } from './admin-options.js';
import { lines, type Plan, simple } from './admin-output.js';
import { type CliIo, usageError } from './io.js';

export const personLine = (p: Record<string, unknown>) =>
  `${p.id}  ${String(p.status).padEnd(7)}  ${(p.roles as string[]).join(',').padEnd(28)}  ${p.organisationId ?? 'municipality'}  ${p.displayName}`;
export const deviceLine = (d: Record<string, unknown>) =>
  `${d.id}  ${d.name}  registered ${d.createdAt}  last used ${d.lastUsedAt ?? 'never'}`;
export const inviteText = (b: unknown) => `${enrolmentCodeText(b as { code: string; expiresAt: string })}\n`;

/** What to do after a refusal of a people command (fixed texts: never an id or a name). */
export const PEOPLE_REFUSAL_HINTS: Readonly<Record<string, string>> = {
  last_administrator:
    'this is the municipality’s last active administrator: add another one first (add-person --role administrator), then remove this one',
};

/**
 * The roles given with --role, checked before anything is sent: a wrong one names the valid
 * roles (the server's `validation_failed` names only the field), never echoing what was typed.
 */
export function rolesArg(roles: readonly string[] | undefined): string[] {
  const given = roles ?? [need(undefined, 'role')];
  if (given.every((r) => (PERSON_ROLES as readonly string[]).includes(r))) return [...given];
  throw usageError(
    `--role must be one of: ${ORGANISATION_ROLES.join(', ')} (a person of an organisation, with --organisation-id); ` +
      `${MUNICIPALITY_ROLES.join(', ')} (a person of the municipality)`,
  );
}

export function planPeopleCommand(command: string, v: Values, io: CliIo): Plan | undefined {
  const person = () => `/v1/admin/people/${uuidArg(v['person-id'], 'person-id')}`;
  switch (command) {
    case 'people': {
      const org = v['organisation-id'];
      return simple(
        io,
        'GET',
        '/v1/admin/people',
        { query: { organisationId: org === undefined ? undefined : uuidArg(org, 'organisation-id') } },
        (b) => lines((b as { people: unknown[] }).people, personLine),
      );
    }
    case 'add-person': {
      const org = v['organisation-id'];
      const body = {
        organisationId: org === undefined ? null : uuidArg(org, 'organisation-id'),
        displayName: need(v['display-name'], 'display-name'),
        roles: rolesArg(v.role),
        ...(v.email === undefined ? {} : { email: v.email }),
      };
      return simple(io, 'POST', '/v1/admin/people', { body }, (b) => {
        const p = (b as { person: Record<string, unknown> }).person;
        return `added: ${personLine(p)}\nperson id: ${p.id}\n`;
      });
    }
    case 'remove-person':
      return simple(
        io,
        'POST',
        `${person()}/remove`,
        { body: {} },
        () => 'removed; their sessions have ended\n',
      );
    case 'invite':
      return simple(io, 'POST', `${person()}/enrolment-codes`, { body: {} }, inviteText);
    case 'devices':
      return simple(io, 'GET', `${person()}/devices`, {}, (b) =>
        lines((b as { devices: unknown[] }).devices, deviceLine),
      );
    case 'remove-device': {
      const path = `${person()}/devices/${uuidArg(v['device-id'], 'device-id')}`;
      return simple(io, 'DELETE', path, {}, () => 'device removed; its sessions have ended\n');
    }
    default:
      return undefined;
  }
}
