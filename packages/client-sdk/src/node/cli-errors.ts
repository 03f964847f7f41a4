// How a SluisError leaves the CLI: the exit code (docs/sdk.md) and the one-line message
// on stderr or the JSON error on stdout. Invariant: only codes,
// field names, statuses, line numbers, correlation ids and a placement's request id are
// shown, never a value the user typed.

import type { SluisError } from '../errors.js';
import { EXIT } from './cli-context.js';

export function errorJson(e: SluisError): Record<string, unknown> {
  return { code: e.code, message: e.message, ...e.details };
}

/** The server's codes for a configured key epoch it no longer (or never) accepts. */
const EPOCH_PROBLEMS: ReadonlySet<string> = new Set(['epoch_retired', 'epoch_unknown']);

/**
 * What to do about a configured epoch the server refuses: the same sentence for `sluis
 * whoami`'s check and a refused placement (docs/sdk.md "CLI reference (`sluis`)").
 */
export const EPOCH_ADVICE =
  'configure the current epoch (its key file, or its OPRF public key from the key ceremony record) ' +
  "and remove the old one; `sluis whoami` lists the server's epochs; ask the municipality's " +
  'operator if you do not have it';

export function exitCodeFor(e: SluisError): number {
  switch (e.code) {
    case 'server_error':
      if (EPOCH_PROBLEMS.has(e.details.problemCode ?? '')) return EXIT.epoch;
      return (e.details.status ?? 0) >= 500 ? EXIT.network : EXIT.refused;
    case 'network_error':
    case 'pseudonym_service_unavailable':
    case 'timeout':
      return EXIT.network;
    case 'response_invalid':
      return EXIT.internal;
    default:
      return EXIT.usage;
  }
}

export function describe(e: SluisError): string {
  const d = e.details;
  // A retired or unknown epoch is not a fault of the server: it gets its own label and says
  // what to do instead of the generic "server_error: the server refused the request".
  const epoch = e.code === 'server_error' && EPOCH_PROBLEMS.has(d.problemCode ?? '');
  const parts = [
    e.code === 'usage_invalid'
      ? `error: ${d.hint ?? e.message}`
      : epoch
        ? `error: ${d.problemCode}: the server ${d.problemCode === 'epoch_retired' ? 'retired' : 'does not know'} a configured key epoch; ${EPOCH_ADVICE}`
        : `error: ${e.code}: ${e.message}`,
  ];
  if (d.problemCode !== undefined) parts.push(`server code ${d.problemCode} (HTTP ${d.status})`);
  if (d.fields !== undefined && d.fields.length > 0) parts.push(`fields: ${d.fields.join(', ')}`);
  if (d.line !== undefined) parts.push(`line ${d.line}`);
  if (d.retryAfterSeconds !== undefined) parts.push(`retry after ${d.retryAfterSeconds}s`);
  if (d.correlationId !== undefined) parts.push(`correlation id ${d.correlationId}`);
  // A placement whose outcome is unknown (no answer, 5xx/429 after the retries, or an answer
  // that could not be read): the request id lets the operator repeat it safely and ask about
  // it (docs/sdk.md "Errors").
  if (d.requestId !== undefined)
    parts.push(
      exitCodeFor(e) === EXIT.network || d.status === 429 || e.code === 'response_invalid'
        ? `request id ${d.requestId} (run again with --request-id ${d.requestId}: a placement that did arrive is answered replayed, never placed twice)`
        : `request id ${d.requestId}`,
    );
  return `${parts.join('; ')}\n`;
}
