// `sluis signal`, `sluis withdraw` and `sluis signals`: placing one signal, withdrawing it
// and listing own signals. Invariant: a BSN is read from the non-echoing prompt or stdin
// (a flag works but is warned about, because of shell history) and is never printed; so are
// the surname, date of birth and gender of a person without a BSN (a parent's: prompt only).

import type { PlaceSignalInput } from '../client/placement.js';
import type { SubstituteIdentifierInput } from '../protocol/substitute-identifier.js';
import {
  type ArchiveNotice,
  INFORMED_STATUSES,
  type InformedStatus,
  LEGAL_BASES,
  type LegalBasis,
} from '../client/types.js';
import { usageError } from './cli-config.js';
import { type Ctx, EXIT, client, out, positional, table } from './cli-context.js';
import { INFORMED_HELP } from './cli-options.js';

/**
 * Parent BSNs: each `--parent-bsn -` is read from the (non-echoing) prompt or standard
 * input, one line each after the subject's BSN; a literal value works but is warned about,
 * like --bsn, because it can end up in shell history.
 */
async function readParentBsns(ctx: Ctx): Promise<string[] | undefined> {
  const given = ctx.values['parent-bsn'];
  if (given === undefined) return undefined;
  const out: string[] = [];
  if (given.some((value) => value !== '-')) {
    ctx.io.stderr.write(
      'warning: a BSN given as a flag can end up in shell history; use --parent-bsn - to be prompted\n',
    );
  }
  for (const [i, value] of given.entries()) {
    if (value !== '-') {
      out.push(value);
      continue;
    }
    if (ctx.io.readLine === undefined) throw usageError('no parent BSN: provide it on standard input');
    const line = await ctx.io.readLine(`Parent BSN ${i + 1}: `);
    if (line === undefined || line.trim() === '') throw usageError('no parent BSN on standard input');
    out.push(line.trim());
  }
  return out;
}

/**
 * Parents without a BSN (docs/protocol.md §2.2): each `--parent-without-bsn -` is read from
 * the prompt or standard input as three lines (surname, date of birth, gender), after the
 * subject and the --parent-bsn parents. Only `-` is accepted: a name on the command line
 * would end up in shell history and process listings.
 */
async function readParentSubstitutes(ctx: Ctx, first: number): Promise<SubstituteIdentifierInput[]> {
  const given = ctx.values['parent-without-bsn'] ?? [];
  if (given.some((value) => value !== '-'))
    throw usageError('give --parent-without-bsn - and answer the prompts (a name is never a flag value)');
  const out: SubstituteIdentifierInput[] = [];
  for (let i = 0; i < given.length; i++) {
    const n = first + i + 1;
    const surname = await flagOrPrompt(ctx, undefined, `Parent ${n} surname: `, '--parent-without-bsn');
    const dateOfBirth = await flagOrPrompt(
      ctx,
      undefined,
      `Parent ${n} date of birth (YYYY-MM-DD): `,
      '--parent-without-bsn',
    );
    const gender = await flagOrPrompt(ctx, undefined, `Parent ${n} gender (M/V/O): `, '--parent-without-bsn');
    out.push({ surname, dateOfBirth, gender });
  }
  return out;
}

/** The parents as the SDK takes them: `parentsBsn`, or `parents` when one has no BSN. */
async function readParents(ctx: Ctx): Promise<Pick<PlaceSignalInput, 'parentsBsn' | 'parents'>> {
  const bsns = (await readParentBsns(ctx)) ?? [];
  const substitutes = await readParentSubstitutes(ctx, bsns.length);
  if (substitutes.length === 0) return bsns.length === 0 ? {} : { parentsBsn: bsns };
  return {
    parents: [...bsns.map((bsn) => ({ bsn })), ...substitutes.map((substitute) => ({ substitute }))],
  };
}

async function readBsn(ctx: Ctx): Promise<string> {
  if (ctx.values.bsn !== undefined) {
    ctx.io.stderr.write(
      'warning: a BSN given as a flag can end up in shell history; omit --bsn to be prompted\n',
    );
    return ctx.values.bsn;
  }
  if (ctx.io.readLine === undefined) throw usageError('no BSN: give --bsn or provide it on standard input');
  const line = await ctx.io.readLine('BSN: ');
  if (line === undefined || line.trim() === '') throw usageError('no BSN on standard input');
  return line.trim();
}

/** A value from its flag (warned about: shell history) or from the non-echoing prompt. */
async function flagOrPrompt(
  ctx: Ctx,
  value: string | undefined,
  prompt: string,
  flag: string,
): Promise<string> {
  if (value !== undefined) {
    ctx.io.stderr.write(
      `warning: ${flag} given as a flag can end up in shell history; omit it to be prompted\n`,
    );
    return value;
  }
  if (ctx.io.readLine === undefined) throw usageError(`no ${flag}: give it or provide it on standard input`);
  const line = await ctx.io.readLine(prompt);
  if (line === undefined || line.trim() === '') throw usageError(`no ${flag} on standard input`);
  return line.trim();
}

/**
 * The subject: a BSN, or with --without-bsn the substitute of docs/protocol.md §2.2 (surname,
 * date of birth, gender), which the SDK accepts under OPRF epochs only (scheme_requires_oprf).
 */
async function readSubject(ctx: Ctx) {
  const v = ctx.values;
  if (v['without-bsn'] !== true) {
    if (v.surname !== undefined || v.gender !== undefined)
      throw usageError('--surname and --gender go with --without-bsn');
    return { bsn: await readBsn(ctx) };
  }
  if (v.bsn !== undefined) throw usageError('--bsn and --without-bsn exclude each other');
  const surname = await flagOrPrompt(ctx, v.surname, 'Surname: ', '--surname');
  const dateOfBirth =
    v['date-of-birth'] ??
    (await flagOrPrompt(ctx, undefined, 'Date of birth (YYYY-MM-DD): ', '--date-of-birth'));
  const gender = v.gender ?? (await flagOrPrompt(ctx, undefined, 'Gender (M/V/O): ', '--gender'));
  return { substitute: { surname, dateOfBirth, gender }, dateOfBirth };
}

/** `--informed`, checked before anything is read or sent; the refusal lists the values, never the one typed. */
function informedStatus(ctx: Ctx): InformedStatus {
  const given = ctx.values.informed;
  if (given !== undefined && (INFORMED_STATUSES as readonly string[]).includes(given))
    return given as InformedStatus;
  throw usageError(
    `--informed ${given === undefined ? 'is required' : 'must be'}: ${INFORMED_HELP} (see sluis --help)`,
  );
}

export async function signal(ctx: Ctx): Promise<number> {
  const v = ctx.values;
  const status = informedStatus(ctx);
  const c = await client(ctx, true);
  const subject = await readSubject(ctx);
  const parents = await readParents(ctx);
  const dateOfBirth = v['date-of-birth'] ?? ('dateOfBirth' in subject ? subject.dateOfBirth : undefined);
  const r = await c.placeSignal({
    ...('bsn' in subject ? { bsn: subject.bsn } : { substitute: subject.substitute }),
    contact: {
      name: v.name ?? '',
      role: v.role ?? '',
      ...(v.phone === undefined ? {} : { phone: v.phone }),
      ...(v.email === undefined ? {} : { email: v.email }),
    },
    informed: {
      status,
      ...(v['informed-date'] === undefined ? {} : { date: v['informed-date'] }),
    },
    ...(dateOfBirth === undefined ? {} : { dateOfBirth }),
    ...(v['end-date'] === undefined ? {} : { endDate: v['end-date'] }),
    ...parents,
    ...(v['request-id'] === undefined ? {} : { requestId: v['request-id'] }),
    ...legalBasisOf(ctx),
  });
  if (r.heldByYou === false) {
    // A colleague's signal, or no one's: the server gives none of it (docs/api.md "Need to know").
    const line = `${r.outcome}: a colleague (or no one) holds the signal for this person; request id ${r.requestId}`;
    out(ctx, line, { outcome: r.outcome, requestId: r.requestId, heldByYou: false });
    return EXIT.ok;
  }
  const notices = r.archiveNotices ?? [];
  out(
    ctx,
    [
      `${r.outcome}: signal ${r.signal.id} (${r.signal.legalBasis}, active until ${r.signal.expiresAt}); request id ${r.requestId}`,
      ...notices.map(noticeLine),
    ].join('\n'),
    {
      outcome: r.outcome,
      requestId: r.requestId,
      signal: r.signal,
      ...(notices.length === 0 ? {} : { archiveNotices: notices }),
    },
  );
  return EXIT.ok;
}

/** --legal-basis with its attestation (--attestation-date, --form-reference); checked by the SDK. */
function legalBasisOf(ctx: Ctx): Pick<PlaceSignalInput, 'legalBasis' | 'attestation'> {
  const v = ctx.values;
  const basis = v['legal-basis'];
  if (basis === undefined) {
    if (v['attestation-date'] !== undefined) throw usageError('--attestation-date goes with --legal-basis');
    return {};
  }
  if (!(LEGAL_BASES as readonly string[]).includes(basis)) {
    throw usageError('--legal-basis must be jeugdwet, consent or no_objection');
  }
  const date = v['attestation-date'];
  return {
    legalBasis: basis as LegalBasis,
    ...(date === undefined
      ? {}
      : {
          attestation: {
            date,
            ...(v['form-reference'] === undefined ? {} : { formReference: v['form-reference'] }),
          },
        }),
  };
}

const noticeLine = (n: ArchiveNotice) =>
  `archive notice: ${n.organisationName} had an archived signal for this person; contact ${n.contact.name} (${n.contact.role}) ${n.contact.phone ?? ''} ${n.contact.email ?? ''}`.trimEnd();

export async function archiveNotices(ctx: Ctx): Promise<number> {
  const id = positional(ctx, 1, 'signal id');
  const c = await client(ctx, false);
  const notices = await c.archiveNotices(id);
  if (ctx.json) for (const n of notices) ctx.io.stdout.write(`${JSON.stringify(n)}\n`);
  else ctx.io.stdout.write(notices.length === 0 ? '(none)\n' : `${notices.map(noticeLine).join('\n')}\n`);
  return EXIT.ok;
}

export async function withdraw(ctx: Ctx): Promise<number> {
  const id = positional(ctx, 1, 'signal id');
  const reason = ctx.values.reason;
  if (reason !== 'ended' && reason !== 'error') throw usageError('--reason must be ended or error');
  const c = await client(ctx, false);
  const s = await c.withdraw(id, reason);
  out(
    ctx,
    s === null ? `signal ${id} deleted (placed in error)` : `signal ${id} ended; archived until ${s.purgeAt}`,
    { signalId: id, reason, signal: s },
  );
  return EXIT.ok;
}

export async function signals(ctx: Ctx): Promise<number> {
  const status = ctx.values.status;
  if (status !== undefined && status !== 'active' && status !== 'inactive') {
    throw usageError('--status must be active or inactive');
  }
  const c = await client(ctx, false);
  const rows: string[][] = [['SIGNAL', 'STATUS', 'BASIS', 'PLACED', 'EXPIRES', 'EPOCHS', 'CONTACT']];
  for await (const s of c.iterateSignals(status === undefined ? {} : { status })) {
    if (ctx.json) ctx.io.stdout.write(`${JSON.stringify(s)}\n`);
    else
      rows.push([
        s.id,
        [
          s.status,
          ...(s.restricted === true ? ['RESTRICTED'] : []),
          ...(s.underObjection ? ['UNDER OBJECTION'] : []),
        ].join(' '),
        s.legalBasis,
        s.placedAt,
        s.expiresAt,
        s.epochs.join(','),
        s.contact.name,
      ]);
  }
  if (!ctx.json) ctx.io.stdout.write(table(rows));
  return EXIT.ok;
}
