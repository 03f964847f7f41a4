// `sluis import` and `sluis migrate`: bulk placement and key-rotation migration from a CSV
// file through runCsvJob (csv-job.ts). Invariant: the summary names line numbers, codes
// and field names only; row content stays in the CSV and the results file.

import { errorJson } from './cli-errors.js';
import { type Ctx, EXIT, client, intFlag, out, positional } from './cli-context.js';
import { INFORMED_VALUES } from './cli-options.js';
import { runCsvJob } from './csv-job.js';
import { progressReporter } from './progress.js';
import { stoppedExitCode } from './stop-signals.js';

/** What a refused column means, in fixed words (the cell itself is never shown). */
const COLUMN_HINTS: Readonly<Record<string, string>> = {
  informed_status: `missing, or not ${INFORMED_VALUES}`,
  informed_date: 'not a YYYY-MM-DD date, or in the future, or given with informed_status not_yet',
  end_date: 'not a YYYY-MM-DD date, or not after today',
  date_of_birth: 'not a YYYY-MM-DD date, or in the future',
  legal_basis: 'jeugdwet (the default) for a person of 23 or older, or not jeugdwet, consent or no_objection',
  attestation_date:
    'missing for consent or no_objection, given for jeugdwet, or not a YYYY-MM-DD date up to today',
  // A person without a BSN (docs/protocol.md §2.2).
  surname: 'letters with spaces, hyphens or apostrophes only, or without a BSN under an HMAC epoch',
  gender: 'M, V or O',
  parent1_surname: 'letters with spaces, hyphens or apostrophes only, or without a BSN under an HMAC epoch',
  parent2_surname: 'letters with spaces, hyphens or apostrophes only, or without a BSN under an HMAC epoch',
  parent1_date_of_birth: 'not a YYYY-MM-DD date (1900–2099)',
  parent2_date_of_birth: 'not a YYYY-MM-DD date (1900–2099)',
  parent1_gender: 'M, V or O',
  parent2_gender: 'M, V or O',
};

const explain = (column: string) =>
  COLUMN_HINTS[column] === undefined ? column : `${column}: ${COLUMN_HINTS[column]}`;

export async function csvJob(ctx: Ctx, kind: 'import' | 'migrate'): Promise<number> {
  const file = positional(ctx, 1, 'CSV file');
  const batchSize = intFlag(ctx.values['batch-size'], 'batch-size', 1, 500);
  const epochs = ctx.values.epoch?.map((e) => intFlag(e, 'epoch', 1, 0xffffffff)!);
  const c = await client(ctx, true);
  const reporter = progressReporter(ctx.json ? { write: () => {} } : ctx.io.stderr, ctx.clock, kind);
  const summary = await runCsvJob({
    kind,
    client: c,
    ...(epochs === undefined ? {} : { epochs }),
    csvPath: file,
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(ctx.values.restart === true ? { restart: true } : {}),
    ...(ctx.values.results === undefined ? {} : { resultsPath: ctx.values.results }),
    ...(ctx.io.signal === undefined ? {} : { signal: ctx.io.signal }),
    onProgress: reporter.onProgress,
  });
  reporter.finish();
  const o = summary.outcomes;
  const human =
    `${kind}: ${summary.rows} rows: ${o.created} created, ${o.replayed} replayed, ${o.existing} existing, ` +
    (kind === 'migrate' ? `${o.migrated} migrated, ` : '') +
    `${o.invalid} invalid, ${o.refused} refused, ${o.pending} pending\n` +
    summary.failures
      .slice(0, 20)
      .map(
        (f) =>
          `  line ${f.line}: ${f.code}${f.fields.length > 0 ? ` (${f.fields.map(explain).join(', ')})` : ''}\n`,
      )
      .join('') +
    (summary.failures.length > 20 ? `  … ${summary.failures.length - 20} more\n` : '') +
    `results: ${summary.resultsPath}`;
  out(ctx, human, {
    rows: summary.rows,
    skipped: summary.skipped,
    outcomes: summary.outcomes,
    failures: summary.failures,
    resultsPath: summary.resultsPath,
    interrupted: summary.interrupted,
    ...(summary.error === undefined ? {} : { error: errorJson(summary.error) }),
  });
  if (summary.error !== undefined) {
    ctx.io.stderr.write(`${kind} stopped; run the same command again to resume\n`);
    throw summary.error;
  }
  if (summary.interrupted) {
    ctx.io.stderr.write(`${kind} interrupted; run the same command again to resume\n`);
    return stoppedExitCode(ctx.io.signal);
  }
  return summary.failures.length > 0 ? EXIT.partial : EXIT.ok;
}
