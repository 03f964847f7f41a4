// The store conformance suite (hono's common-case pattern): every Store implementation
// must pass it. Framework-agnostic — the caller passes its test registrar (vitest `it`)
// and a factory for fresh, empty stores — so a PostgreSQL store can run the same cases.
// It checks the contract the domain relies on: durability of acknowledged writes,
// isolation of failing operations, one writer, unique pairs, monotonic cursors, and
// that consents and agreement entries go with their signal / match. What one store has
// beyond the contract (group commit, several instances, deletion from its files) is
// tested apart: traits.ts.
//
// This file is the entry: the cases live in conformance/, one file per area, and run here
// in a fixed order (the closed-store case last).

import { conformanceContext, type StoreFactory, type TestRegistrar } from './conformance/fixtures.js';
import { accessRequestCases } from './conformance/access-requests.js';
import { batchRowCases } from './conformance/batch-rows.js';
import { concurrencyCases } from './conformance/concurrency.js';
import { deliveryCases } from './conformance/deliveries.js';
import { epochCases } from './conformance/epochs.js';
import { handoverCases } from './conformance/handover.js';
import { dueCases, followUpCases, followUpPageCases } from './conformance/follow-up.js';
import { lifecycleCases } from './conformance/lifecycle.js';
import { logbookChainCases } from './conformance/logbook-chain.js';
import { logbookAndKeyCases } from './conformance/logbook-keys.js';
import { mailCases } from './conformance/mail.js';
import { matchCases } from './conformance/matches.js';
import { noticeAndStatisticCases } from './conformance/notices-statistics.js';
import { parentHoldCases } from './conformance/parent-holds.js';
import { peopleCases } from './conformance/people.js';
import { signInCases } from './conformance/sign-in.js';
import { signalCases } from './conformance/signals.js';
import { closedStoreCase, transactionCases } from './conformance/transactions.js';

export type { StoreFactory, TestRegistrar } from './conformance/fixtures.js';

/** Registers every contract case for one store: no case is skipped on any store. */
export function runStoreConformance(factory: StoreFactory, test: TestRegistrar): void {
  const context = conformanceContext(factory, test);
  transactionCases(context);
  signalCases(context);
  parentHoldCases(context);
  batchRowCases(context);
  matchCases(context);
  followUpCases(context);
  dueCases(context);
  followUpPageCases(context);
  logbookAndKeyCases(context);
  logbookChainCases(context);
  peopleCases(context);
  noticeAndStatisticCases(context);
  signInCases(context);
  handoverCases(context);
  accessRequestCases(context);
  mailCases(context);
  lifecycleCases(context);
  deliveryCases(context);
  epochCases(context);
  concurrencyCases(context);
  closedStoreCase(context);
}
