// The requests on own signals after placement: withdraw, transfer, rectify, informed
// status, read, list and iterate (docs/api.md). Invariant: every input is checked locally first, so
// a bad request never leaves the process and errors name field paths only.

import { SluisError } from '../errors.js';
import { type RequestContext, sid } from './request-context.js';
import { asArchiveNotice, asArray, asObj, asPage, asSignal } from './responses.js';
import type {
  ArchiveNotice,
  Contact,
  Informed,
  Page,
  Signal,
  SignalOrder,
  SignalStatus,
  WithdrawReason,
} from './types.js';
import {
  FieldErrors,
  checkContact,
  checkCursor,
  checkInformed,
  checkLimit,
  checkUuid,
  todayUtc,
} from './validate.js';

const MAX_TRANSFER_IDS = 1000;

/** `ended` archives the signal and returns it; `error` deletes it at once and returns null. */
export async function withdraw(
  ctx: RequestContext,
  signalId: string,
  reason: WithdrawReason,
): Promise<Signal | null> {
  if (reason !== 'ended' && reason !== 'error') throw new SluisError('input_invalid', { fields: ['reason'] });
  const body = await ctx.send({
    method: 'POST',
    path: `/v1/signals/${sid(signalId)}/withdraw`,
    body: { reason },
    idempotent: false,
  });
  return reason === 'error' ? null : asSignal(body);
}

/**
 * Moves own active signals to another professional (in requests of ≤ 1000 ids). With
 * `personId`, that colleague (a person of the organisation) becomes the signals' placing
 * person: they get the match notices and find the signals among their own.
 */
export async function transfer(
  ctx: RequestContext,
  signalIds: readonly string[],
  contact: Contact,
  options: { readonly personId?: string } = {},
): Promise<{ transferred: number }> {
  const errors = new FieldErrors();
  const c = checkContact(contact, 'contact', errors);
  if (options.personId !== undefined) checkUuid(options.personId, 'personId', errors);
  if (!Array.isArray(signalIds) || signalIds.length === 0) errors.add('signalIds');
  else
    signalIds.forEach((id, i) => {
      checkUuid(id, `signalIds.${i}`, errors);
    });
  errors.throwIfAny();
  let transferred = 0;
  for (let i = 0; i < signalIds.length; i += MAX_TRANSFER_IDS) {
    const body = asObj(
      await ctx.send({
        method: 'POST',
        path: '/v1/signals/transfer',
        body: {
          signalIds: signalIds.slice(i, i + MAX_TRANSFER_IDS),
          contact: c,
          ...(options.personId === undefined ? {} : { personId: options.personId }),
        },
        idempotent: true,
      }),
    );
    if (typeof body.transferred !== 'number') throw new SluisError('response_invalid');
    transferred += body.transferred;
  }
  return { transferred };
}

/** Rectifies the professional's contact details on one signal (GDPR art. 16). */
export async function rectify(ctx: RequestContext, signalId: string, contact: Contact): Promise<Signal> {
  const errors = new FieldErrors();
  const c = checkContact(contact, 'contact', errors);
  errors.throwIfAny();
  const path = `/v1/signals/${sid(signalId)}/contact`;
  return asSignal(await ctx.send({ method: 'PUT', path, body: { contact: c }, idempotent: true }));
}

export async function updateInformed(
  ctx: RequestContext,
  signalId: string,
  informed: Informed,
): Promise<Signal> {
  const errors = new FieldErrors();
  const i = checkInformed(informed, 'informed', todayUtc(ctx.clock), errors);
  errors.throwIfAny();
  const path = `/v1/signals/${sid(signalId)}/informed`;
  return asSignal(await ctx.send({ method: 'PUT', path, body: { informed: i }, idempotent: true }));
}

export async function archiveNotices(ctx: RequestContext, signalId: string): Promise<ArchiveNotice[]> {
  const path = `/v1/signals/${sid(signalId)}/archive-notices`;
  return asArray(asObj(await ctx.send({ method: 'GET', path, idempotent: true })).items, asArchiveNotice);
}

export async function getSignal(ctx: RequestContext, signalId: string): Promise<Signal> {
  return asSignal(await ctx.send({ method: 'GET', path: `/v1/signals/${sid(signalId)}`, idempotent: true }));
}

export async function listSignals(
  ctx: RequestContext,
  query: { status?: SignalStatus; order?: SignalOrder; cursor?: string; limit?: number } = {},
): Promise<Page<Signal>> {
  const errors = new FieldErrors();
  if (query.status !== undefined && query.status !== 'active' && query.status !== 'inactive')
    errors.add('status');
  if (query.order !== undefined && query.order !== 'oldest' && query.order !== 'newest') errors.add('order');
  checkLimit(query.limit, errors);
  checkCursor(query.cursor, errors);
  errors.throwIfAny();
  const body = await ctx.send({
    method: 'GET',
    path: '/v1/signals',
    query: [
      ['status', query.status],
      ['order', query.order],
      ['cursor', query.cursor],
      ['limit', query.limit],
    ],
    idempotent: true,
  });
  return asPage(body, asSignal);
}

/** Every own signal, page by page. */
export async function* iterateSignals(
  ctx: RequestContext,
  query: { status?: SignalStatus; order?: SignalOrder; limit?: number } = {},
): AsyncGenerator<Signal> {
  let cursor: string | undefined;
  do {
    const page = await listSignals(ctx, { ...query, ...(cursor === undefined ? {} : { cursor }) });
    yield* page.items;
    cursor = page.items.length === 0 ? undefined : page.nextCursor;
  } while (cursor !== undefined);
}
