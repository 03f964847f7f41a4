// Progress of a CSV job on the terminal: a redrawn bar with rate and ETA on a TTY,
// plain lines otherwise (logs, CI). Shows counts only, never row content.

import type { CsvJobProgress } from './csv-job.js';

export interface ProgressSink {
  write(text: string): void;
  readonly isTTY?: boolean;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatProgress(p: CsvJobProgress, elapsedMs: number, width = 30): string {
  const fraction = p.total === 0 ? 1 : p.done / p.total;
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? (p.done * 1000) / elapsedMs : 0;
  const eta = rate > 0 ? (p.total - p.done) / rate : Number.POSITIVE_INFINITY;
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const skipped = p.skipped > 0 ? `, ${p.skipped} done earlier` : '';
  return (
    `${bar} ${p.done}/${p.total} rows ${(fraction * 100).toFixed(0)}%, ${rate.toFixed(0)} rows/s, ` +
    `ETA ${p.done === p.total ? '0s' : duration(eta)}, ${p.failed} failed${skipped}`
  );
}

/** Returns the onProgress callback and a `finish` that ends the bar's line. */
export function progressReporter(
  sink: ProgressSink,
  clock: () => number,
  label: string,
): { onProgress: (p: CsvJobProgress) => void; finish: () => void } {
  const started = clock();
  let drawn = false;
  return {
    onProgress: (p) => {
      const line = `${label} ${formatProgress(p, clock() - started)}`;
      if (sink.isTTY === true) {
        sink.write(`\r\u001b[2K${line}`);
        drawn = true;
      } else {
        sink.write(`${line}\n`);
      }
    },
    finish: () => {
      if (drawn) sink.write('\n');
      drawn = false;
    },
  };
}
