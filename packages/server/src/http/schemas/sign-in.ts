// Schemas of passkey sign-in (docs/api.md "Sign-in", docs/protocol.md §10). The WebAuthn
// responses are bounded JSON objects handed to @simplewebauthn/server, which checks their
// shape itself; nothing here echoes a value back.

import { PERSON_ROLES } from '@sluis/engine';
import { z } from 'zod';
import { Epoch, Id, PublicKey, Timestamp } from './primitives.js';

const B64url = z.string().regex(/^[A-Za-z0-9_-]*$/);
/** A WebAuthn JSON response (RegistrationResponseJSON / AuthenticationResponseJSON). */
const WebAuthnResponse = z
  .looseObject({ id: B64url.min(1).max(1024), rawId: B64url.max(1024), type: z.literal('public-key') })
  .meta({
    description: 'The credential as the browser returns it, in its JSON form (WebAuthn Level 3 toJSON).',
  });
const Options = z
  .record(z.string(), z.unknown())
  .meta({ description: 'WebAuthn options in their JSON form.' });
const Code = z
  .string()
  .min(1)
  .max(64)
  .meta({ description: 'The enrolment code, as shown once (case and dashes are ignored).' });
const DeviceName = z.string().min(1).max(60);

export const EnrolmentOptionsIn = z.strictObject({ code: Code });
export const EnrolIn = z.strictObject({ code: Code, deviceName: DeviceName, response: WebAuthnResponse });
export const SignInOptionsIn = z.strictObject({
  sessionPublicKey: B64url.length(43).meta({
    description: 'The raw 32-byte Ed25519 session public key, base64url.',
  }),
});
export const SignInIn = z.strictObject({ challengeId: B64url.min(1).max(64), response: WebAuthnResponse });
/** A step-up (docs/protocol.md §10.6): the challenge id handed out and the passkey's assertion. */
export const StepUpIn = z
  .strictObject({ challengeId: B64url.min(1).max(64), response: WebAuthnResponse })
  .meta({
    description: 'A fresh assertion of one of the person’s passkeys, made for this act in this session.',
  });
export const AddDeviceIn = z.strictObject({
  deviceName: DeviceName,
  response: WebAuthnResponse,
  stepUp: StepUpIn,
});
export const RemoveOwnDeviceIn = z.strictObject({ stepUp: StepUpIn });
/**
 * The step-up of a route a key calls without one and a session only with one (docs/protocol.md
 * §10.6): optional here, required by the engine when a session signed.
 */
export const SessionStepUp = StepUpIn.optional().meta({
  description:
    'Required when a person’s session signs (step_up_required without it): a fresh assertion of one of the person’s passkeys over a step-up asked for this act (POST /v1/me/step-up). Keys send none.',
});
export const EnrolmentCodeIn = z.strictObject({ stepUp: SessionStepUp });
/** What a step-up is asked for (docs/protocol.md §10.6); the act's route recomputes it from its own request. */
export const StepUpOptionsIn = z.strictObject({
  action: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('enrolment_code'), personId: Id }),
    z.strictObject({ kind: z.literal('organisation_key_add'), organisationId: Id, publicKey: PublicKey }),
    z.strictObject({ kind: z.literal('admin_key_add'), publicKey: PublicKey }),
    z.strictObject({ kind: z.literal('organisation_admit'), publicKeys: z.array(PublicKey).min(1).max(2) }),
    z.strictObject({
      kind: z.literal('epoch_register'),
      epoch: Epoch,
      epochKind: z.enum(['hmac', 'oprf']),
      publicKey: PublicKey.optional(),
    }),
  ]),
});
export const DeviceParams = z.strictObject({ personId: Id, deviceId: Id });
export const OwnDeviceParams = z.strictObject({ deviceId: Id });

export const CreationOptionsOut = z.object({ options: Options });
export const RequestOptionsOut = z.object({ challengeId: z.string(), options: Options });
export const DeviceOptionsOut = z.object({ options: Options, stepUp: RequestOptionsOut });
export const EnrolledOut = z.object({ personId: Id, deviceId: Id });
export const EnrolmentCodeOut = z.object({ code: z.string(), expiresAt: Timestamp });
export const DeviceOut = z.object({
  id: Id,
  name: z.string(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
});
export const DevicesOut = z.object({ devices: z.array(DeviceOut) });
export const DeviceOnlyOut = z.object({ device: DeviceOut });
const Roles = z.array(z.enum(PERSON_ROLES));
export const SessionOut = z.object({
  sessionId: z.string(),
  personId: Id,
  organisationId: Id.nullable(),
  roles: Roles,
  idleExpiresAt: Timestamp,
  expiresAt: Timestamp,
});
export const MeOut = z.object({
  personId: Id,
  organisationId: Id.nullable(),
  displayName: z.string(),
  roles: Roles,
  session: z.object({ idleExpiresAt: Timestamp, expiresAt: Timestamp }),
});
