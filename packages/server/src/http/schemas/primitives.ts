// Building blocks shared by every API area's schemas: ids, epochs, dates, pseudonyms,
// contact details, query integers, and the problem and health answers. Invariant: the
// request building blocks are strict objects with bounded strings, so an area schema
// built from them cannot accept free text or an unnamed field by accident.

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

export const Contact = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    role: z.string().trim().min(1).max(100),
    phone: z
      .string()
      .regex(/^[0-9 +\-()]{6,20}$/)
      .optional(),
    email: z
      .string()
      .max(254)
      .regex(/^[^@\s]+@[^@\s]+$/)
      .optional(),
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
