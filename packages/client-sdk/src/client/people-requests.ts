// People and passkeys (docs/api.md "People", "Sign-in") as an organisation's coordinator
// (its key, on behalf of a coordinator, or a coordinator's session) manages them, and the
// signed-in person's own session. Invariant: ids are checked locally (UUIDs) before a
// request leaves the process; answers are returned as the server sent them.

import { SluisError } from '../errors.js';
import { asObj } from './responses.js';
import { type RequestContext, sid } from './request-context.js';

export interface Person {
  readonly id: string;
  readonly organisationId: string | null;
  readonly displayName: string;
  readonly email: string | null;
  readonly roles: readonly string[];
  readonly status: 'active' | 'removed';
  readonly createdAt: string;
  readonly removedAt: string | null;
}

export interface Device {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** A single-use enrolment code: give it to the person only; it is shown once (§10.1). */
export interface EnrolmentCode {
  readonly code: string;
  readonly expiresAt: string;
}

export interface Me {
  readonly personId: string;
  readonly organisationId: string | null;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly session: { readonly idleExpiresAt: string; readonly expiresAt: string };
}

const ROLES = new Set(['professional', 'organisation_coordinator']);

export async function listPeople(ctx: RequestContext): Promise<Person[]> {
  const body = asObj(await ctx.send({ method: 'GET', path: '/v1/people', idempotent: true }));
  return body.people as Person[];
}

export async function addPerson(
  ctx: RequestContext,
  input: { displayName: string; roles: readonly string[]; email?: string | null },
): Promise<Person> {
  const fields: string[] = [];
  if (typeof input?.displayName !== 'string' || input.displayName.trim() === '') fields.push('displayName');
  if (!Array.isArray(input?.roles) || input.roles.length === 0 || input.roles.some((r) => !ROLES.has(r))) {
    fields.push('roles');
  }
  if (fields.length > 0) throw new SluisError('input_invalid', { fields });
  const body = asObj(await ctx.send({ method: 'POST', path: '/v1/people', body: input, idempotent: false }));
  return body.person as Person;
}

export async function removePerson(ctx: RequestContext, personId: string): Promise<Person> {
  const path = `/v1/people/${sid(personId, 'personId')}/remove`;
  return asObj(await ctx.send({ method: 'POST', path, body: {}, idempotent: true })).person as Person;
}

export async function invite(ctx: RequestContext, personId: string): Promise<EnrolmentCode> {
  const path = `/v1/people/${sid(personId, 'personId')}/enrolment-codes`;
  // Not retried: a repeat would replace the code the first answer may already have shown.
  return asObj(
    await ctx.send({ method: 'POST', path, body: {}, idempotent: false }),
  ) as unknown as EnrolmentCode;
}

export async function listDevices(ctx: RequestContext, personId: string): Promise<Device[]> {
  const path = `/v1/people/${sid(personId, 'personId')}/devices`;
  return asObj(await ctx.send({ method: 'GET', path, idempotent: true })).devices as Device[];
}

export async function removeDevice(ctx: RequestContext, personId: string, deviceId: string): Promise<void> {
  const path = `/v1/people/${sid(personId, 'personId')}/devices/${sid(deviceId, 'deviceId')}`;
  await ctx.send({ method: 'DELETE', path, idempotent: true });
}

export async function me(ctx: RequestContext): Promise<Me> {
  return asObj(await ctx.send({ method: 'GET', path: '/v1/me', idempotent: true })) as unknown as Me;
}

export async function signOut(ctx: RequestContext): Promise<void> {
  await ctx.send({ method: 'DELETE', path: '/v1/sessions/current', idempotent: true });
}
