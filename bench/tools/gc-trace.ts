// Counts a server's garbage collections from its `--trace-gc` lines (docs/performance.md
// "Tenth pass: garbage collection"): the A/B tools pass the server's output so far, before and
// after a round, and print the difference per 1,000 requests. Each line V8 prints names the
// collection and its pause on the main thread ("Scavenge 3.8 (4.0) -> 3.6 (5.0) MB, 1.51 / 0.00
// ms"; Node 24's V8 puts "pooled: 0 MB, " before the pause); the incremental marking steps before a Mark-Compact are printed beside it ("+ 34.1 ms in
// 67 steps") and counted here too. Zero counts when the server runs without `--trace-gc`.

export interface GcCounts {
  readonly scavenges: number;
  readonly scavengeMs: number;
  readonly markCompacts: number;
  /** Mark-Compact pauses and their incremental marking steps, all on the main thread. */
  readonly markCompactMs: number;
}

const LINE =
  /: (Scavenge|Mark-Compact|Mark-sweep)\b[^,\n]*,(?: pooled: [\d.]+ MB,)? ([\d.]+) \/ [\d.]+ ms(?:\s+\(\+ ([\d.]+) ms in)?/g;

export function gcCounts(output: string): GcCounts {
  let scavenges = 0;
  let scavengeMs = 0;
  let markCompacts = 0;
  let markCompactMs = 0;
  for (const m of output.matchAll(LINE)) {
    const pause = Number(m[2]);
    if (m[1] === 'Scavenge') {
      scavenges++;
      scavengeMs += pause;
    } else {
      markCompacts++;
      markCompactMs += pause + Number(m[3] ?? 0);
    }
  }
  return { scavenges, scavengeMs, markCompacts, markCompactMs };
}

/** "gc: 12.3 scavenges (4.5 ms) + 0.1 mark-compact (0.8 ms) per 1,000", or '' without `--trace-gc`. */
export function gcPerThousand(before: GcCounts, after: GcCounts, requests: number): string {
  const n = after.scavenges - before.scavenges + after.markCompacts - before.markCompacts;
  if (n === 0 || requests === 0) return '';
  const k = 1000 / requests;
  return ` gc/1000: ${((after.scavenges - before.scavenges) * k).toFixed(1)} scavenges (${((after.scavengeMs - before.scavengeMs) * k).toFixed(1)} ms) + ${((after.markCompacts - before.markCompacts) * k).toFixed(2)} mark-compact (${((after.markCompactMs - before.markCompactMs) * k).toFixed(1)} ms)`;
}
