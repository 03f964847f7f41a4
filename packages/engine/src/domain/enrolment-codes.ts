// Enrolment codes (docs/protocol.md §10.1): a coordinator of the person's organisation,
// or the municipality, issues a single-use, short-lived code that lets the person register
// a first passkey. The code is `selector ‖ verifier` in Crockford base32; only the selector
// and SHA-256 of the verifier are stored, the verifier is compared in constant time, and a
// new code replaces the person's previous one. A refusal never says more than its code and
// no log line carries the code (docs/threat-model.md §5.11).

import type { Actor, EnrolmentCode, StepUpProof } from '../api.js';
import { EngineError } from '../errors.js';
import { constantTimeEqual } from '../protocol/bytes.js';
import { enrolmentVerifierHash } from '../protocol/session-binding.js';
import type { PersonRow, StoreReader } from '../store/store.js';
import type { EngineContext } from './context.js';
import { appendLog } from './logbook.js';
import { personInScope } from './people.js';
import { commitSessionStepUp, sessionStepUp } from './step-up.js';

/** Crockford base32 without I, L, O, U: no two characters a person could confuse. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SELECTOR_CHARS = 8;
export const VERIFIER_CHARS = 16;
const CODE_CHARS = SELECTOR_CHARS + VERIFIER_CHARS;
const HOUR_MS = 3_600_000;

const invalid = (): never => {
  throw new EngineError('enrolment_code_invalid', 'the enrolment code is not valid');
};

function randomChars(ctx: EngineContext, n: number): string {
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  return Array.from(ctx.random(n), (b) => ALPHABET[b % 32]).join('');
}

/** Groups of four for reading aloud: `ABCD-EFGH-…`. */
function display(code: string): string {
  return code.match(/.{4}/g)!.join('-');
}

/**
 * The code as typed, normalised (upper case; separators dropped; O→0, I and L→1 as
 * Crockford reads them), split into selector and verifier; undefined when malformed.
 */
export function parseEnrolmentCode(text: unknown): { selector: string; verifier: string } | undefined {
  if (typeof text !== 'string' || text.length > 64) return undefined;
  const s = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CODE_CHARS || [...s].some((c) => !ALPHABET.includes(c))) return undefined;
  return { selector: s.slice(0, SELECTOR_CHARS), verifier: s.slice(SELECTOR_CHARS) };
}

/**
 * The active person a code belongs to, when the code is outstanding and its verifier
 * matches; `enrolment_code_invalid` otherwise, `enrolment_code_expired` when it matches
 * but its lifetime has passed.
 */
export async function personOfCode(
  tx: StoreReader,
  code: unknown,
  now: number,
): Promise<{ person: PersonRow; selector: string }> {
  const parsed = parseEnrolmentCode(code);
  if (parsed === undefined) return invalid();
  const row = await tx.getEnrolmentCode(parsed.selector);
  // Hash even when there is no row, so an unknown selector costs what a known one does.
  const hash = enrolmentVerifierHash(parsed.verifier);
  if (row === undefined || !constantTimeEqual(hash, row.verifierHash)) return invalid();
  if (row.expiresAt <= now) {
    throw new EngineError('enrolment_code_expired', 'the enrolment code has expired');
  }
  const person = await tx.getPerson(row.personId);
  if (person === undefined || person.status !== 'active') return invalid();
  return { person, selector: parsed.selector };
}

/**
 * A new code for `personId`. A session (a coordinator's, the municipality's) needs a
 * step-up made for `enrolment-code <personId>` (docs/protocol.md §10.6): the code enrols a
 * passkey that outlives the session, and the person it names may be the thief's accomplice
 * or a person the thief just added. A key needs none.
 */
export async function issueEnrolmentCode(
  ctx: EngineContext,
  actor: Actor,
  personId: string,
  proof?: StepUpProof,
): Promise<EnrolmentCode> {
  // A code for oneself would add a passkey without the step-up one's own devices need
  // (docs/protocol.md §10.6): a stolen coordinator's or administrator's session could enrol a
  // key of its own and keep the account. One's own code comes from a colleague, the
  // municipality or a key holder.
  if (actor.kind !== 'system' && actor.personId === personId) {
    throw new EngineError('forbidden', 'one’s own enrolment code is issued by someone else');
  }
  const stepUp = await sessionStepUp(ctx, actor, { kind: 'enrolment_code', personId }, proof);
  const selector = randomChars(ctx, SELECTOR_CHARS);
  const verifier = randomChars(ctx, VERIFIER_CHARS);
  return ctx.store.write(async (tx) => {
    const p = await personInScope(tx, actor, personId);
    if (p.status !== 'active') throw new EngineError('conflict', 'the person was removed');
    const now = ctx.clock();
    await commitSessionStepUp(tx, actor, stepUp, now);
    const expiresAt = now + ctx.config.enrolmentCodeHours * HOUR_MS;
    await tx.setEnrolmentCode({
      personRid: p.rid,
      selector,
      verifierHash: enrolmentVerifierHash(verifier),
      createdAt: now,
      expiresAt,
    });
    await appendLog(tx, now, actor, 'enrolment_code.issued', {
      personId: p.id,
      ...(p.organisationId === null ? {} : { organisationId: p.organisationId }),
    });
    return { code: display(selector + verifier), expiresAt };
  });
}
