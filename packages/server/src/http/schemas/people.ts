// Schemas of the people routes (docs/api.md "People"): adding, listing and removing the
// people of an organisation or of the municipality. Invariant: strict objects, bounded
// strings; the engine checks the same rules again (validation.ts) and that roles fit the
// person's side.

import { MUNICIPALITY_ROLES, ORGANISATION_ROLES, PERSON_ROLES } from '@sluis/engine';
import { z } from 'zod';
import { Id, Timestamp } from './primitives.js';

export const PersonRoleSchema = z.enum(PERSON_ROLES);
const DisplayName = z.string().trim().min(1).max(100);
const Email = z
  .string()
  .max(254)
  .regex(/^[^@\s]+@[^@\s]+$/);

/** An organisation adds one of its own people: organisation roles only. */
export const AddOwnPerson = z.strictObject({
  displayName: DisplayName,
  email: Email.nullable().optional(),
  roles: z.array(z.enum(ORGANISATION_ROLES)).min(1).max(ORGANISATION_ROLES.length),
});
/** The municipality adds a person of an organisation (organisationId) or of its own (null). */
export const AddPerson = z.strictObject({
  organisationId: Id.nullable(),
  displayName: DisplayName,
  email: Email.nullable().optional(),
  roles: z
    .array(z.enum([...ORGANISATION_ROLES, ...MUNICIPALITY_ROLES]))
    .min(1)
    .max(PERSON_ROLES.length),
});
export const PersonIdParams = z.strictObject({ personId: Id });
export const AdminPeopleQuery = z.strictObject({ organisationId: Id.optional() });

export const PersonOut = z.object({
  id: Id,
  organisationId: Id.nullable(),
  displayName: z.string(),
  email: z.string().nullable(),
  roles: z.array(PersonRoleSchema),
  status: z.enum(['active', 'removed']),
  createdAt: Timestamp,
  removedAt: Timestamp.nullable(),
});
export const PersonOnlyOut = z.object({ person: PersonOut });
export const PeopleOut = z.object({ people: z.array(PersonOut) });
