// The runs a multi-row statement is split into, for both stores' batch paths (docs/engine.md
// "Batch placement"): SQLite keeps a few fixed run sizes so that its statement cache holds a
// handful of texts per table; PostgreSQL caps the parameters one statement binds.

/**
 * `rows` in consecutive runs, in order: each run has the largest of `sizes` (largest first)
 * that the rows left still fill; rows left below the smallest size form one last, shorter
 * run. With a size of 1 every run has one of `sizes` exactly.
 */
export function* runsOf<T>(rows: readonly T[], sizes: readonly number[]): Generator<T[]> {
  let i = 0;
  for (const n of runLengths(rows.length, sizes)) {
    yield rows.slice(i, i + n);
    i += n;
  }
}

/** The lengths of the runs `runsOf` cuts `count` rows into, without the rows. */
export function* runLengths(count: number, sizes: readonly number[]): Generator<number> {
  let left = count;
  for (const size of sizes) for (; left >= size; left -= size) yield size;
  if (left > 0) yield left;
}
