// People and their roles (docs/engine.md "People and roles"): a person belongs to one
// organisation or to the municipality and acts in one or more roles. A person's name and
// e-mail live in the people table only — the logbook records the person's id and the role
// acted in, never the name (docs/privacy.md), so an erasure is not defeated by the log.

/** Roles of an organisation's people (Jeugdwet 7.1.1.2 and 7.1.3.3). */
export const ORGANISATION_ROLES = ['professional', 'organisation_coordinator'] as const;
/** Roles of the municipality's people. */
export const MUNICIPALITY_ROLES = ['match_coordinator', 'gdpr_desk', 'auditor', 'administrator'] as const;
export const PERSON_ROLES = [...ORGANISATION_ROLES, ...MUNICIPALITY_ROLES] as const;

export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];
export type MunicipalityRole = (typeof MUNICIPALITY_ROLES)[number];
export type PersonRole = (typeof PERSON_ROLES)[number];
export type PersonStatus = 'active' | 'removed';

export interface Person {
  readonly id: string;
  /** Null: a person of the municipality. */
  readonly organisationId: string | null;
  /** 1–100 characters; shown to coordinators and, where the law requires, in the access report. */
  readonly displayName: string;
  /** For the match notice e-mail (docs/operations.md); null when none. */
  readonly email: string | null;
  /** One or more roles, all of the person's side (organisation or municipality), in PERSON_ROLES order. */
  readonly roles: readonly PersonRole[];
  readonly status: PersonStatus;
  readonly createdAt: number;
  readonly removedAt: number | null;
}

export interface AddPersonInput {
  /** Null for a person of the municipality (administrators only). */
  readonly organisationId: string | null;
  readonly displayName: string;
  readonly email?: string | null;
  readonly roles: readonly PersonRole[];
}

/** The person on whose behalf (or by whose session) a request acts, as authentication established it. */
export interface ActingPerson {
  readonly personId: string;
  readonly roles: readonly PersonRole[];
}
