// Building blocks shared by every API area's schemas: ids, epochs, dates, pseudonyms,
// contact details, query integers, and the problem and health answers. Invariant: the
// request building blocks are strict objects with bounded strings, so an area schema
// built from them cannot accept free text or an unnamed field by accident.

import { INPUT_RULES, type TextRule, textFault } from '@sluis/engine';
import { z } from 'zod';

/** Ids are random UUIDs (any version; the engine chooses). */
export const Id = z.guid();
/** 32 bytes in unpadded base64url; the engine checks canonical encoding (pseudonym_invalid). */
export const B64url32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
export const Epoch = z.int().min(1).max(0xffffffff);
export const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const Timestamp = z.string().meta({ format: 'date-time' });
export const Cursor = z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/);

/** A query-string integer: digits only, then range-checked. */
export function queryInt(min: number, max: number) {
  return z
    .string()
    .regex(/^[0-9]{1,10}$/)
    .transform(Number)
    .pipe(z.int().min(min).max(max));
}

export const Pseudonym = z.strictObject({ epoch: Epoch, value: B64url32 });
export const Person = z.array(Pseudonym).min(1).max(2);

/**
 * A text field built from the engine's rule (docs/api.md "Text fields"): the rule decides,
 * so the server and the engine refuse exactly the same values with the same code; the
 * lengths and pattern are published in the OpenAPI document.
 */
export function textField(rule: TextRule) {
  return z
    .string()
    .superRefine((v, ctx) => {
      const fault = textFault(rule, v);
      if (fault !== undefined) ctx.addIssue({ code: 'custom', message: fault, params: { fault } });
    })
    .meta({
      minLength: rule.min,
      maxLength: rule.max,
      ...(rule.pattern === undefined ? {} : { pattern: rule.pattern.source }),
    });
}

export const Contact = z
  .strictObject({
    name: textField(INPUT_RULES.contactName),
    role: textField(INPUT_RULES.contactRole),
    phone: textField(INPUT_RULES.contactPhone).optional(),
    email: textField(INPUT_RULES.contactEmail).optional(),
  })
  .refine((c) => c.phone !== undefined || c.email !== undefined, { path: ['phone'] });

export const Informed = z.strictObject({
  status: z.enum(['citizen', 'representative', 'both', 'not_yet']),
  date: DateOnly.optional(),
});

export const Empty = z.strictObject({});

/** Public keys are Ed25519 keys in the same 32-byte base64url form. */
export const PublicKey = B64url32;

// Response building blocks (documentation; the wire mapping is in ../wire.ts).
export const ContactOut = z.object({
  name: z.string(),
  role: z.string(),
  phone: z.string().optional(),
  email: z.string().optional(),
});
export const InformedOut = z.object({ status: z.string(), date: z.string().optional() });

export const HealthOut = z.object({ status: z.string() });

export const ProblemOut = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.string(),
  fields: z.array(z.string()).optional(),
  correlationId: z.string(),
});

/** One logbook entry as the logbook export and the key review show it. */
export const LogbookEntryOut = z.object({
  seq: z.int(),
  at: z.int(),
  actor: z.object({ kind: z.string() }).loose(),
  action: z.string(),
  refs: z.record(z.string(), z.string()),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  prevHash: z.string(),
  hash: z.string(),
});
