// How an admin command answers: a plan sends its request and prints a short human
// summary of the server's answer or, with --json, the answer itself. Invariant: every
// plan is built — its arguments checked — before the admin key is read (adminMain), so a
// usage error never needs the key and never sends anything.

import type { AdminClient } from './admin-client.js';
import { type CliIo, EXIT } from './io.js';

export type Out = (body: unknown) => string;

export const lines = (items: unknown[], f: (x: Record<string, unknown>) => string) =>
  items.length === 0 ? '(none)\n' : `${items.map((x) => f(x as Record<string, unknown>)).join('\n')}\n`;
export const itemsOf = (b: unknown) => ((b as { items?: unknown[] }).items ?? []) as unknown[];
export const orgLine = (o: Record<string, unknown>) =>
  `${o.id}  ${String(o.status).padEnd(9)}  ${String(o.type).padEnd(16)}  ${o.name}  budget/day ${o.placementBudgetPerDay}  match e-mail ${o.matchEmail === true ? 'on' : 'off'}`;
/** A signing key: id, role, status, organisation (`-`: the municipality) and public key (docs/keys.md §2.3). */
export const keyLine = (k: Record<string, unknown>) =>
  `${k.keyId}  ${String(k.role).padEnd(12)}  ${String(k.status).padEnd(7)}  ${String(k.organisationId ?? '-').padEnd(36)}  ${k.publicKey}`;
export const pretty: Out = (b) => `${JSON.stringify(b, null, 2)}\n`;
type RetentionCounts = Readonly<
  Record<'expired' | 'purgedSignals' | 'purgedMatches' | 'expiredDeliveries' | 'deletedPeople', unknown>
>;
/** A count of the answer, or `-` where the server did not send it (a server before API 1.12.0). */
const countOf = (n: unknown) => (n === undefined || n === null ? '-' : String(n));
/**
 * A retention run's counts in words, as `sluis-server retention` and `admin retention-run`
 * print them without --json: every count of the JSON (docs/api.md `POST /v1/admin/retention/run`).
 */
export const retentionLine = (r: RetentionCounts) =>
  `expired ${countOf(r.expired)}, purged signals ${countOf(r.purgedSignals)}, purged matches ${countOf(r.purgedMatches)}, expired webhook deliveries ${countOf(r.expiredDeliveries)}, deleted removed people ${countOf(r.deletedPeople)}\n`;

export type Plan = (client: AdminClient, json: Out | undefined) => Promise<number>;

export function simple(
  io: CliIo,
  method: string,
  path: string,
  opts: { query?: Record<string, string | number | undefined>; body?: unknown },
  human: Out,
): Plan {
  return async (client, json) => {
    const r = await client.request(method, path, opts);
    io.stdout.write((json ?? human)(r.body ?? {}));
    return EXIT.ok;
  };
}
