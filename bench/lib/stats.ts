// Statistics for benchmarks: medians and spread over repeated runs. Every figure is a
// ratio against a baseline measured in the same run, interleaved with the candidate,
// because these machines are shared and noisy (docs/performance.md).

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function spread(values: readonly number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  return {
    median: quantile(s, 0.5),
    min: s[0] ?? Number.NaN,
    max: s[s.length - 1] ?? Number.NaN,
    n: s.length,
  };
}

/** Operations per second of `fn(n)` doing n operations, over at least `minMs`. */
export function rate(fn: (n: number) => void, minMs: number): number {
  let n = 64;
  for (;;) {
    const t0 = performance.now();
    fn(n);
    const ms = performance.now() - t0;
    if (ms >= minMs) return (n * 1000) / ms;
    n = Math.ceil(n * Math.min(16, Math.max(2, (minMs * 1.2) / Math.max(ms, 0.1))));
  }
}

/**
 * Runs candidate and baseline alternately `runs` times and returns both rates and the
 * per-pair ratio candidate/baseline, so a noisy moment hits both sides alike.
 */
export function interleavedRates(
  candidate: (n: number) => void,
  baseline: (n: number) => void,
  runs: number,
  minMs: number,
): { candidate: Spread; baseline: Spread; ratio: Spread } {
  const c: number[] = [];
  const b: number[] = [];
  const r: number[] = [];
  rate(candidate, minMs / 4); // warm-up (JIT)
  rate(baseline, minMs / 4);
  for (let i = 0; i < runs; i++) {
    const first = i % 2 === 0;
    const x = first ? rate(candidate, minMs) : 0;
    const y = rate(baseline, minMs);
    const z = first ? x : rate(candidate, minMs);
    c.push(z);
    b.push(y);
    r.push(z / y);
  }
  return { candidate: spread(c), baseline: spread(b), ratio: spread(r) };
}

/**
 * a ÷ b for figures of separate runs (no per-run pairs): the ratio of the medians, its
 * spread pairing the extremes (a's lowest with b's highest and back).
 */
export function ratioOfSpreads(a: Spread, b: Spread): Spread {
  return { median: a.median / b.median, min: a.min / b.max, max: a.max / b.min, n: Math.min(a.n, b.n) };
}
