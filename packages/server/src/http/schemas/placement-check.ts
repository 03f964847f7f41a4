// A direct check of one batch item against the Placement schema (signals.ts), for the
// batch route's 500 items (docs/performance.md "Seventh pass"). It only ever ACCEPTS: an
// item it cannot vouch for goes to zod, which decides and words the refusal, so the error
// codes and paths of docs/api.md come from the schema alone. Invariant: whatever this
// accepts, zod accepts with the same output, field for field and in the same key order
// (placement-check.test.ts holds that on random and mutated items); the text rules are the
// engine's (textFault), as the schema's are.

import {
  CONTACT_KEYS,
  INPUT_RULES,
  LEGAL_BASES,
  PLACEMENT_KEYS,
  type TextRule,
  textFault,
} from '@sluis/engine';
import { z } from 'zod';
import type { Placement } from './signals.js';

type PlacementOut = z.output<typeof Placement>;
type Pseudonym = PlacementOut['subject'][number];

const GUID = z.regexes.guid;
const B64URL32 = /^[A-Za-z0-9_-]{43}$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INFORMED = new Set(['citizen', 'representative', 'both', 'not_yet']);
// The members' and the legal bases' lists are the engine's (one list of each, validation.ts).
const BASES: ReadonlySet<string> = new Set(LEGAL_BASES);
const PLACEMENT_MEMBERS: ReadonlySet<string> = new Set(PLACEMENT_KEYS);
const CONTACT_MEMBERS: ReadonlySet<string> = new Set(CONTACT_KEYS);
const INFORMED_KEYS = new Set(['status', 'date']);
const ATTESTATION_KEYS = new Set(['date', 'formReference']);

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
/** Own keys all in `allowed` (a strict object); an own key holding undefined is left to zod. */
function onlyKeys(o: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const k of Object.keys(o)) if (!allowed.has(k) || o[k] === undefined) return false;
  return true;
}
const date = (v: unknown): v is string => typeof v === 'string' && DATE_ONLY.test(v);

function person(v: unknown): Pseudonym[] | undefined {
  if (!Array.isArray(v) || v.length < 1 || v.length > 2) return undefined;
  const out: Pseudonym[] = [];
  for (const p of v) {
    if (!isPlain(p)) return undefined;
    const { epoch, value } = p;
    if (Object.keys(p).length !== 2 || typeof value !== 'string' || !B64URL32.test(value)) return undefined;
    if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 1 || epoch > 0xffffffff)
      return undefined;
    out.push({ epoch, value });
  }
  return out;
}

/**
 * A checker for the items of one batch: it returns the schema's output for an item every
 * rule accepts, undefined for "ask zod". A text value the rule accepted once in the batch is
 * not tested again (a batch repeats its few contacts; textFault is a pure function of rule
 * and value). The memory goes with the checker, at the end of the request.
 */
export function placementChecker(): (item: unknown) => PlacementOut | undefined {
  const accepted = new Map<TextRule, Set<string>>();
  const text = (rule: TextRule, v: unknown): v is string => {
    if (typeof v !== 'string') return false;
    let seen = accepted.get(rule);
    if (seen?.has(v)) return true;
    if (textFault(rule, v) !== undefined) return false;
    if (seen === undefined) {
      seen = new Set();
      accepted.set(rule, seen);
    }
    seen.add(v);
    return true;
  };
  return (item) => checkItem(item, text);
}

function checkItem(
  item: unknown,
  text: (rule: TextRule, v: unknown) => v is string,
): PlacementOut | undefined {
  if (!isPlain(item) || !onlyKeys(item, PLACEMENT_MEMBERS)) return undefined;
  const { requestId, contact: c, informed: i, endDate, legalBasis, attestation: a } = item;
  if (typeof requestId !== 'string' || !GUID.test(requestId)) return undefined;
  const subject = person(item.subject);
  if (subject === undefined) return undefined;
  let parents: Pseudonym[][] | undefined;
  if (item.parents !== undefined) {
    if (!Array.isArray(item.parents) || item.parents.length > 2) return undefined;
    parents = [];
    for (const pp of item.parents) {
      const p = person(pp);
      if (p === undefined) return undefined;
      parents.push(p);
    }
  }
  if (!isPlain(c) || !onlyKeys(c, CONTACT_MEMBERS)) return undefined;
  if (!text(INPUT_RULES.contactName, c.name) || !text(INPUT_RULES.contactRole, c.role)) return undefined;
  if (c.phone !== undefined && !text(INPUT_RULES.contactPhone, c.phone)) return undefined;
  if (c.email !== undefined && !text(INPUT_RULES.contactEmail, c.email)) return undefined;
  if (c.phone === undefined && c.email === undefined) return undefined;
  if (!isPlain(i) || !onlyKeys(i, INFORMED_KEYS)) return undefined;
  if (typeof i.status !== 'string' || !INFORMED.has(i.status)) return undefined;
  if (i.date !== undefined && !date(i.date)) return undefined;
  if (endDate !== undefined && !date(endDate)) return undefined;
  if (legalBasis !== undefined && (typeof legalBasis !== 'string' || !BASES.has(legalBasis)))
    return undefined;
  if (a !== undefined) {
    if (!isPlain(a) || !onlyKeys(a, ATTESTATION_KEYS) || !date(a.date)) return undefined;
    // Checked, not remembered: a form's reference names one citizen's form and never repeats.
    const ref = a.formReference;
    if (ref !== undefined && (typeof ref !== 'string' || textFault(INPUT_RULES.formReference, ref)))
      return undefined;
  }
  // Built in the schema's key order, optional members only when present, as zod builds it.
  return {
    requestId,
    subject,
    ...(parents === undefined ? {} : { parents }),
    contact: {
      name: c.name,
      role: c.role,
      ...(c.phone === undefined ? {} : { phone: c.phone as string }),
      ...(c.email === undefined ? {} : { email: c.email as string }),
    },
    informed: {
      status: i.status as PlacementOut['informed']['status'],
      ...(i.date === undefined ? {} : { date: i.date as string }),
    },
    ...(endDate === undefined ? {} : { endDate: endDate as string }),
    ...(legalBasis === undefined
      ? {}
      : { legalBasis: legalBasis as NonNullable<PlacementOut['legalBasis']> }),
    ...(a === undefined
      ? {}
      : {
          attestation: {
            date: a.date as string,
            ...(a.formReference === undefined ? {} : { formReference: a.formReference as string }),
          },
        }),
  };
}
