// Helpers the organisation route files share: the actor of an organisation request, the
// mapping of validated bodies to engine inputs and per-item batch validation. Invariant: the actor is built from the verified principal only, never
// from the request body.

import type { Actor, BatchItemResult, PlaceSignalInput, Signal, SignalRef } from '@sluis/engine';
import type { z } from 'zod';
import type { OrganisationPrincipal } from '../http/route.js';
import type * as S from '../http/schemas.js';
import { issueCode, issueFields } from '../http/validation.js';
import { signalOut } from '../http/wire.js';

type OrgActor = Extract<Actor, { kind: 'organisation' }>;

/**
 * The logbook actor: the organisation's key and, when a person acted, their id and role;
 * `session` when the person's own portal session signed, so the engine shows a
 * professional only the signals they hold (docs/api.md "Need to know").
 */
export function actorOf(p: OrganisationPrincipal): OrgActor {
  return {
    kind: 'organisation',
    organisationId: p.organisationId,
    keyId: p.keyId,
    ...(p.person === undefined ? {} : { personId: p.person.personId, personRole: p.person.role }),
    ...(p.sessionId === undefined ? {} : { session: true }),
  };
}

/** Strips `undefined` optionals so the engine input satisfies exactOptionalPropertyTypes. */
export function placementInput(
  p: z.output<typeof S.Placement> & { readonly existingOnly?: true | undefined },
): PlaceSignalInput {
  return {
    ...(p.existingOnly === true ? { existingOnly: true as const } : {}),
    requestId: p.requestId,
    subject: p.subject,
    contact: contactInput(p.contact),
    informed: informedInput(p.informed),
    ...(p.parents === undefined ? {} : { parents: p.parents }),
    ...(p.endDate === undefined ? {} : { endDate: p.endDate }),
    ...(p.legalBasis === undefined ? {} : { legalBasis: p.legalBasis }),
    ...(p.attestation === undefined
      ? {}
      : {
          attestation: {
            date: p.attestation.date,
            ...(p.attestation.formReference === undefined
              ? {}
              : { formReference: p.attestation.formReference }),
          },
        }),
  };
}

export function contactInput(c: z.output<typeof S.Contact>) {
  return {
    name: c.name,
    role: c.role,
    ...(c.phone === undefined ? {} : { phone: c.phone }),
    ...(c.email === undefined ? {} : { email: c.email }),
  };
}

export function informedInput(i: z.output<typeof S.Informed>) {
  return i.date === undefined ? { status: i.status } : { status: i.status, date: i.date };
}

/**
 * One item's result. `minimal` (`Prefer: return=minimal`, docs/api.md "POST /v1/signals/batch"):
 * the signal's view cut to its id — what an importer keeps per row (the SDK's CSV import:
 * outcome and signal id); a refused item's result is the same in both forms. A result the
 * engine answered with the id only (its `minimal` batch, SignalRef) is answered so.
 */
function batchItemOut(r: BatchItemResult<Signal | SignalRef>, index: number, minimal: boolean) {
  if (!r.ok) {
    return { index, ok: false as const, code: r.code, fields: r.fields.map((f) => `items.${index}.${f}`) };
  }
  const signal = minimal || !('status' in r.signal) ? { id: r.signal.id } : signalOut(r.signal);
  return { index, ok: true as const, outcome: r.outcome, signal };
}

export interface PerItemOptions<T> {
  /**
   * Accepts an item without zod (it returns the schema's output or undefined, never a
   * refusal: every refusal is worded by the schema, schemas/placement-check.ts).
   */
  readonly check?: (item: unknown) => T | undefined;
  /** The minimal form of each result (batchItemOut). */
  readonly minimal: boolean;
}

/**
 * Validates each item on its own, sends the valid ones to the engine in one call and
 * merges the results back in request order (docs/api.md: a bad item does not stop the others).
 */
export async function perItem<T, I>(
  items: readonly unknown[],
  schema: z.ZodType<T>,
  toInput: (t: T) => I,
  run: (inputs: I[]) => Promise<readonly BatchItemResult<Signal | SignalRef>[]>,
  options: PerItemOptions<T>,
) {
  const { check, minimal } = options;
  const results: ReturnType<typeof batchItemOut>[] = new Array(items.length);
  const inputs: I[] = [];
  const positions: number[] = [];
  items.forEach((item, index) => {
    const checked = check?.(item);
    if (checked !== undefined) {
      inputs.push(toInput(checked));
      positions.push(index);
      return;
    }
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      inputs.push(toInput(parsed.data));
      positions.push(index);
    } else {
      const fields = issueFields(parsed.error, `items.${index}`, ['items', index]);
      results[index] = { index, ok: false, code: issueCode(parsed.error), fields };
    }
  });
  if (inputs.length > 0) {
    const engineResults = await run(inputs);
    for (const r of engineResults) {
      const index = positions[r.index];
      if (index !== undefined) results[index] = batchItemOut(r, index, minimal);
    }
  }
  return results;
}
