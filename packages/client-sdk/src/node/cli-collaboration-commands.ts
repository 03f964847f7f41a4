// `sluis consent`, `sluis agreements` and `sluis report`: working together after a match
// (docs/sdk.md "Consent, agreements and the report"). Invariant: agreements are codes only, and
// the citizen report is rendered locally from what the server already returned.

import type { AgreementStatus, ConsentScope } from '../client/types.js';
import { renderCitizenReport } from '../report/citizen-report.js';
import { usageError } from './cli-config.js';
import { type Ctx, EXIT, client, out, positional, table } from './cli-context.js';

export async function consent(ctx: Ctx): Promise<number> {
  const sub = positional(ctx, 1, 'consent action (record, show or withdraw)');
  const signalId = positional(ctx, 2, 'signal id');
  if (!['record', 'show', 'withdraw'].includes(sub))
    throw usageError('consent needs record, show or withdraw');
  const c = await client(ctx, false);
  const r =
    sub === 'record'
      ? await c.recordConsent(signalId, {
          date: ctx.values.date ?? '',
          scopes: (ctx.values.scope ?? []) as ConsentScope[],
          ...(ctx.values['form-reference'] === undefined
            ? {}
            : { formReference: ctx.values['form-reference'] }),
        })
      : sub === 'withdraw'
        ? await c.withdrawConsent(signalId)
        : await c.getConsent(signalId);
  out(
    ctx,
    r === null
      ? `signal ${signalId}: no consent recorded (coordination stays anonymous)`
      : `signal ${signalId}: consent ${r.status} (${r.scopes.join(', ')}), given on ${r.date}` +
          (r.formReference === null ? '' : `, form ${r.formReference}`),
    { consent: r },
  );
  return EXIT.ok;
}

export async function agreements(ctx: Ctx): Promise<number> {
  const sub = positional(ctx, 1, 'agreements action (list, add, status or vocabulary)');
  const v = ctx.values;
  const c = await client(ctx, false);
  if (sub === 'vocabulary') {
    const w = await c.vocabulary();
    out(
      ctx,
      `consent scopes:         ${w.consentScopes.join(', ')}\n` +
        `action kinds:           ${w.actionKinds.join(', ')}\n` +
        `information categories: ${w.informationCategories.join(', ')}\n` +
        `purposes:               ${w.purposes.join(', ')}`,
      w,
    );
    return EXIT.ok;
  }
  const matchId = positional(ctx, 2, 'match id');
  if (sub === 'add') {
    const owner = v.owner ?? 'me';
    if (owner !== 'me' && owner !== 'counterpart') throw usageError('--owner must be me or counterpart');
    const a = await c.addAgreement(matchId, {
      owner,
      actionKind: v['action-kind'] ?? '',
      informationCategory: v.category ?? '',
      purpose: v.purpose ?? '',
      dueDate: v.due ?? '',
    });
    out(ctx, `agreement ${a.id} added (${a.actionKind}, owner ${a.owner}, due ${a.dueDate})`, a);
    return EXIT.ok;
  }
  if (sub === 'status') {
    const agreementId = positional(ctx, 3, 'agreement id');
    const status = v.status;
    if (status !== 'open' && status !== 'done' && status !== 'cancelled') {
      throw usageError('--status must be open, done or cancelled');
    }
    const a = await c.setAgreementStatus(matchId, agreementId, status as AgreementStatus);
    out(ctx, `agreement ${a.id}: ${a.status}`, a);
    return EXIT.ok;
  }
  if (sub !== 'list') throw usageError('agreements needs list, add, status or vocabulary');
  const list = await c.listAgreements(matchId);
  if (ctx.json) {
    for (const a of list) ctx.io.stdout.write(`${JSON.stringify(a)}\n`);
  } else {
    const rows = [['AGREEMENT', 'OWNER', 'ACTION', 'INFORMATION', 'PURPOSE', 'DUE', 'STATUS']];
    for (const a of list)
      rows.push([a.id, a.owner, a.actionKind, a.informationCategory, a.purpose, a.dueDate, a.status]);
    ctx.io.stdout.write(table(rows));
  }
  return EXIT.ok;
}

/** Gathers the match, the own signal's contact and the agreements, then renders locally. */
export async function report(ctx: Ctx): Promise<number> {
  const matchId = positional(ctx, 1, 'match id');
  const lang = ctx.values.lang ?? 'nl';
  if (lang !== 'nl' && lang !== 'en') throw usageError('--lang must be nl or en');
  const c = await client(ctx, false);
  const match = await c.getMatch(matchId);
  const [who, own, list] = await Promise.all([
    c.whoami(),
    c.getSignal(match.ownSignalId),
    c.listAgreements(matchId),
  ]);
  const text = renderCitizenReport({
    match,
    agreements: list,
    own: { organisationName: who.organisation.name, contact: own.contact },
    lang,
    date: new Date(ctx.clock()).toISOString().slice(0, 10),
  });
  out(ctx, text, { matchId, lang, report: text });
  return EXIT.ok;
}
