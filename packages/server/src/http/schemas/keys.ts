// Schemas of the key routes (docs/keys.md): organisation and admin signing keys, covenant
// key epochs and their retirement, server-secret rotation, per-key placement review and
// webhook signing keys. Invariant: no response schema has a field for a private key, a
// secret or a stored pseudonym — public keys, ids, statuses and counts only.

import { z } from 'zod';
import { Epoch, Id, LogbookEntryOut, PublicKey, queryInt, Timestamp } from './primitives.js';
import { SessionStepUp } from './sign-in.js';

export const AddKey = z.strictObject({ publicKey: PublicKey, stepUp: SessionStepUp });
export const RegisterEpoch = z.strictObject({
  epoch: Epoch,
  /** docs/protocol.md §7: 'hmac' (default) or 'oprf' with the pseudonym service's public key (§9.5). */
  kind: z.enum(['hmac', 'oprf']).optional(),
  publicKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .optional(),
  stepUp: SessionStepUp,
});
export const KeyIdParams = z.strictObject({ keyId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
export const EpochParams = z.strictObject({ epoch: queryInt(1, 0xffffffff) });

export const KeyOut = z.object({
  keyId: z.string(),
  role: z.enum(['organisation', 'admin']),
  organisationId: Id.nullable(),
  publicKey: z.string(),
  status: z.enum(['active', 'revoked']),
  addedAt: Timestamp,
  revokedAt: Timestamp.nullable(),
});
export const EpochOut = z.object({
  epoch: z.int(),
  status: z.enum(['active', 'retired']),
  kind: z.enum(['hmac', 'oprf']),
  publicKey: z.string().nullable(),
  registeredAt: Timestamp,
  retiredAt: Timestamp.nullable(),
});
export const KeyOnlyOut = z.object({ key: KeyOut });
/**
 * The list of every key also names each organisation key's organisation, so that the auditor —
 * who has no route that reads organisations — sees whose key it is (docs/api.md "Admin (municipality) routes").
 */
export const KeyListOut = z.object({
  items: z.array(KeyOut.extend({ organisationName: z.string().nullable() })),
});
export const EpochOnlyOut = z.object({ epoch: EpochOut });
export const EpochListOut = z.object({ items: z.array(EpochOut) });

export const RetireEpochBody = z.strictObject({ force: z.boolean().optional() });
const IsoTime = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/)
  .refine((s) => Number.isFinite(Date.parse(s)));
export const KeyPlacementsQuery = z.strictObject({ from: IsoTime, to: IsoTime });
export const RotateWebhookKeyBody = z.strictObject({
  /** Seconds until the new key signs deliveries (receivers need time to add it); ≤ 1 year. */
  switchAfterSeconds: z.int().min(0).max(31_536_000).optional(),
});
export const EpochRetirementOut = z.object({
  epoch: EpochOut,
  storedPseudonymsDeleted: z.int(),
  signalsEnded: z.int(),
  archivedUnlinked: z.int(),
  organisations: z.array(z.object({ organisationId: Id, signalsEnded: z.int(), archivedUnlinked: z.int() })),
});
const EpochCount = z.object({ epoch: z.int(), activeSignals: z.int() });
export const EpochProgressOut = z.object({
  epochs: z.array(EpochOut),
  organisations: z.array(
    z.object({
      organisationId: Id,
      organisationName: z.string(),
      activeSignals: z.int(),
      byEpoch: z.array(EpochCount),
      stranded: z.array(EpochCount),
    }),
  ),
});
export const SecretRotationOut = z.object({
  generation: z.int(),
  rotation: z
    .object({
      generation: z.int(),
      status: z.enum(['running', 'completed']),
      startedAt: Timestamp,
      completedAt: Timestamp.nullable(),
      signalsTotal: z.int(),
      signalsDone: z.int(),
      rowsRekeyed: z.int(),
      pendingCatchUps: z.int(),
    })
    .nullable(),
});
export const KeyPlacementsOut = z.object({
  keyId: z.string(),
  from: Timestamp,
  to: Timestamp,
  placements: z.array(
    z.object({
      signalId: Id,
      at: Timestamp,
      seq: z.int(),
      status: z.enum(['active', 'inactive', 'deleted']),
    }),
  ),
  entries: z.array(LogbookEntryOut),
  truncated: z.boolean(),
});
const WebhookKeyOut = z.object({
  keyId: z.string(),
  publicKey: z.string(),
  status: z.enum(['signing', 'next', 'previous']),
  signFrom: Timestamp,
});
export const ServerKeysOut = z.object({ webhookKeys: z.array(WebhookKeyOut) });
export const WebhookKeyOnlyOut = z.object({ key: WebhookKeyOut });

/** POST /v1/pseudonym-credentials (docs/protocol.md §9.7). */
export const PseudonymCredentialOut = z.object({
  credential: z.string().regex(/^[A-Za-z0-9_-]{1,1024}\.[A-Za-z0-9_-]{86}$/),
  issuerKeyId: z.string(),
  organisationId: Id,
  personId: Id,
  expiresAt: Timestamp,
});
