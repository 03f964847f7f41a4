// Maps engine values (times in ms) to their wire form (RFC 3339 UTC with milliseconds,
// docs/api.md "Conventions"). Each mapper names its fields explicitly, so a field the
// engine adds later never reaches a client by accident.

import type {
  AgreementView,
  ArchiveNotice,
  PlacementResult,
  AgreementsOverviewItem,
  Consent,
  Delivery,
  MailNotice,
  EpochRecord,
  FollowUpOverviewItem,
  FollowUpRecord,
  GdprAccessReport,
  InboxEvent,
  MatchView,
  Organisation,
  Person,
  PublicKeyRecord,
  RetentionReport,
  Signal,
} from '@sluis/engine';

// The last two instants written: a batch answer writes the same placedAt and expiresAt
// 500 times (docs/performance.md "Seventh pass"). Same input, same string.
let lastMs = Number.NaN;
let lastIso = '';
let otherMs = Number.NaN;
let otherIso = '';

export function iso(ms: number): string {
  if (ms === lastMs) return lastIso;
  if (ms === otherMs) return otherIso;
  const s = new Date(ms).toISOString();
  otherMs = lastMs;
  otherIso = lastIso;
  lastMs = ms;
  lastIso = s;
  return s;
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

export function signalOut(s: Signal) {
  return {
    id: s.id,
    status: s.status,
    contact: s.contact,
    informed: s.informed,
    placedAt: iso(s.placedAt),
    expiresAt: iso(s.expiresAt),
    endedAt: isoOrNull(s.endedAt),
    endReason: s.endReason,
    purgeAt: isoOrNull(s.purgeAt),
    epochs: s.epochs,
    hasParents: s.hasParents,
    legalBasis: s.legalBasis,
    underObjection: s.underObjection,
    restricted: s.restricted,
  };
}

export function archiveNoticeOut(n: ArchiveNotice) {
  return {
    id: n.id,
    signalId: n.signalId,
    at: iso(n.at),
    organisationName: n.organisationName,
    contact: n.contact,
  };
}

/**
 * A placement's answer: the notices only on a created signal that received some. A person who
 * does not hold the signal (`heldByYou: false`) gets no signal: its id and the holder's contact
 * details are for the holder only (docs/api.md "Need to know").
 */
export function placementOut(r: PlacementResult) {
  return {
    outcome: r.outcome,
    ...(r.heldByYou === false ? {} : { signal: signalOut(r.signal) }),
    ...(r.heldByYou === undefined ? {} : { heldByYou: r.heldByYou }),
    ...(r.archiveNotices === undefined || r.archiveNotices.length === 0
      ? {}
      : { archiveNotices: r.archiveNotices.map(archiveNoticeOut) }),
  };
}

function followUpRecordOut(r: FollowUpRecord | null) {
  return r === null ? null : { outcome: r.outcome, at: iso(r.at) };
}

export function matchOut(m: MatchView) {
  return {
    id: m.id,
    kind: m.kind,
    status: m.status,
    createdAt: iso(m.createdAt),
    ownSignalId: m.ownSignalId,
    counterpart: { organisationName: m.counterpart.organisationName, contact: m.counterpart.contact },
    underObjection: m.underObjection,
    restricted: m.restricted,
    followUp: {
      contactMadeByMe: isoOrNull(m.followUp.contactMadeByMe),
      contactMadeByCounterpart: isoOrNull(m.followUp.contactMadeByCounterpart),
      mine: followUpRecordOut(m.followUp.mine),
      counterpart: followUpRecordOut(m.followUp.counterpart),
    },
    regie: {
      holder: m.regie.holder,
      since: isoOrNull(m.regie.since),
      proposal:
        m.regie.proposal === null
          ? null
          : { by: m.regie.proposal.by, for: m.regie.proposal.for, at: iso(m.regie.proposal.at) },
    },
    coordination: {
      status: m.coordination.status,
      myScopes: [...m.coordination.myScopes],
      counterpartScopes: [...m.coordination.counterpartScopes],
    },
  };
}

/** Only ever sent to the organisation that recorded the consent (its own signal). */
export function consentOut(c: Consent) {
  return {
    signalId: c.signalId,
    status: c.status,
    date: c.date,
    scopes: [...c.scopes],
    formReference: c.formReference,
    recordedAt: iso(c.recordedAt),
    withdrawnAt: isoOrNull(c.withdrawnAt),
  };
}

export function agreementOut(a: AgreementView) {
  return {
    id: a.id,
    owner: a.owner,
    actionKind: a.actionKind,
    informationCategory: a.informationCategory,
    purpose: a.purpose,
    dueDate: a.dueDate,
    status: a.status,
    createdAt: iso(a.createdAt),
    createdBy: a.createdBy,
    history: a.history.map((h) => ({ status: h.status, at: iso(h.at), by: h.by })),
  };
}

export function agreementsOverviewOut(i: AgreementsOverviewItem) {
  return {
    matchId: i.matchId,
    matchStatus: i.matchStatus,
    counts: { ...i.counts },
    overdue: i.overdue.map((o) => ({
      agreementId: o.agreementId,
      dueDate: o.dueDate,
      ownerOrganisationId: o.ownerOrganisationId,
    })),
  };
}

export function inboxEventOut(e: InboxEvent) {
  return {
    cursor: e.cursor,
    type: e.type,
    at: iso(e.at),
    matchId: e.matchId,
    match: e.match === null ? null : matchOut(e.match),
  };
}

export function organisationOut(o: Organisation) {
  return {
    id: o.id,
    name: o.name,
    type: o.type,
    status: o.status,
    webhookUrl: o.webhookUrl,
    placementBudgetPerDay: o.placementBudgetPerDay,
    createdAt: iso(o.createdAt),
    matchEmail: o.matchEmail,
  };
}

export function keyOut(k: PublicKeyRecord) {
  return {
    keyId: k.keyId,
    role: k.role,
    organisationId: k.organisationId,
    publicKey: k.publicKey,
    status: k.status,
    addedAt: iso(k.addedAt),
    revokedAt: isoOrNull(k.revokedAt),
  };
}

export function epochOut(e: EpochRecord) {
  return {
    epoch: e.epoch,
    status: e.status,
    kind: e.kind,
    publicKey: e.publicKey === null ? null : Buffer.from(e.publicKey).toString('base64url'),
    registeredAt: iso(e.registeredAt),
    retiredAt: isoOrNull(e.retiredAt),
  };
}

export function deliveryOut(d: Delivery) {
  return {
    id: d.id,
    organisationId: d.organisationId,
    url: d.url,
    payload: { type: d.payload.type, matchId: d.payload.matchId, cursor: d.payload.cursor },
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: iso(d.nextAttemptAt),
    lastErrorCode: d.lastErrorCode,
    createdAt: iso(d.createdAt),
    deliveredAt: isoOrNull(d.deliveredAt),
  };
}

export function mailNoticeOut(n: MailNotice) {
  return {
    id: n.id,
    personId: n.personId,
    matchId: n.matchId,
    status: n.status,
    attempts: n.attempts,
    nextAttemptAt: iso(n.nextAttemptAt),
    lastErrorCode: n.lastErrorCode,
    createdAt: iso(n.createdAt),
    doneAt: isoOrNull(n.doneAt),
  };
}

export function retentionOut(r: RetentionReport) {
  return {
    expired: r.expired,
    purgedSignals: r.purgedSignals,
    purgedMatches: r.purgedMatches,
    expiredDeliveries: r.expiredDeliveries,
    deletedPeople: r.deletedPeople,
    ranAt: iso(r.ranAt),
  };
}

export function gdprAccessOut(r: GdprAccessReport) {
  return {
    signals: r.signals.map((s) => ({
      signalId: s.signalId,
      organisationId: s.organisationId,
      organisationName: s.organisationName,
      status: s.status,
      placedAt: iso(s.placedAt),
      expiresAt: iso(s.expiresAt),
      endedAt: isoOrNull(s.endedAt),
      purgeAt: isoOrNull(s.purgeAt),
      informed: s.informed,
      restricted: s.restricted,
      objection: s.objection,
      legalBasis: s.legalBasis,
      attestedOn: s.attestedOn,
      consent:
        s.consent === null
          ? null
          : {
              date: s.consent.date,
              scopes: [...s.consent.scopes],
              recordedAt: iso(s.consent.recordedAt),
              withdrawnAt: isoOrNull(s.consent.withdrawnAt),
            },
    })),
    parentLinks: r.parentLinks.map((s) => ({
      signalId: s.signalId,
      organisationId: s.organisationId,
      organisationName: s.organisationName,
      status: s.status,
      placedAt: iso(s.placedAt),
      expiresAt: iso(s.expiresAt),
      endedAt: isoOrNull(s.endedAt),
      purgeAt: isoOrNull(s.purgeAt),
    })),
    matches: r.matches.map((m) => ({
      matchId: m.matchId,
      kind: m.kind,
      status: m.status,
      createdAt: iso(m.createdAt),
      organisationNames: [...m.organisationNames],
      via: m.via,
      followUp: m.followUp.map((f) => (f === null ? null : { outcome: f.outcome, at: iso(f.at) })),
      regie: m.regie === null ? null : { holder: m.regie.holder, since: iso(m.regie.since) },
      agreements: m.agreements.map((a) => ({
        ...a,
        createdAt: iso(a.createdAt),
        history: a.history.map((h) => ({ ...h, at: iso(h.at) })),
      })),
    })),
    access: r.access.map((a) => ({
      at: iso(a.at),
      kind: a.kind,
      via: a.via,
      matchId: a.matchId,
      signalId: a.signalId,
      organisationId: a.organisationId,
      organisationName: a.organisationName,
      role: a.role,
      personName: a.personName,
    })),
  };
}

export function followUpOut(i: FollowUpOverviewItem) {
  return {
    matchId: i.matchId,
    kind: i.kind,
    status: i.status,
    createdAt: iso(i.createdAt),
    parties: i.parties.map((p) => ({
      organisationId: p.organisationId,
      organisationName: p.organisationName,
      organisationType: p.organisationType,
      signalId: p.signalId,
      contactMadeAt: isoOrNull(p.contactMadeAt),
      followUp: followUpRecordOut(p.followUp),
    })),
    regie: { organisationId: i.regie.organisationId, since: isoOrNull(i.regie.since) },
    overdue: i.overdue,
  };
}

export function personOut(p: Person) {
  return {
    id: p.id,
    organisationId: p.organisationId,
    displayName: p.displayName,
    email: p.email,
    roles: [...p.roles],
    status: p.status,
    createdAt: iso(p.createdAt),
    removedAt: isoOrNull(p.removedAt),
  };
}
