// The shape of one benchmark figure and how it is printed: the candidate, its baseline
// from the same run, the ratio with its spread, and the target it is held to.

import type { Spread } from './stats.js';

export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly candidate: Spread;
  readonly baseline?: Spread;
  readonly baselineName?: string;
  /** The baseline's unit where it is not the candidate's (e.g. inserts/s against placements/s). */
  readonly baselineUnit?: string;
  /** candidate/baseline (or the absolute value when there is no baseline). */
  readonly ratio?: Spread;
  readonly target?: { readonly op: '>=' | '<='; readonly value: number; readonly of: 'ratio' | 'value' };
  readonly note?: string;
}

export function meetsTarget(f: Figure): boolean | undefined {
  if (f.target === undefined) return undefined;
  const v = f.target.of === 'ratio' ? f.ratio?.median : f.candidate.median;
  if (v === undefined) return undefined;
  return f.target.op === '>=' ? v >= f.target.value : v <= f.target.value;
}

const fmt = (n: number | undefined): string => {
  if (n === undefined || Number.isNaN(n)) return '–';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
};

export function markdownTable(figures: readonly Figure[]): string {
  const rows = [
    '| # | measure | candidate (median, min–max) | baseline (median) | ratio (median, min–max) | target | met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const f of figures) {
    const met = meetsTarget(f);
    rows.push(
      `| ${f.id} | ${f.title} | ${fmt(f.candidate.median)} ${f.unit} (${fmt(f.candidate.min)}–${fmt(f.candidate.max)}) | ${
        f.baseline
          ? `${fmt(f.baseline.median)} ${f.baselineUnit ?? f.unit} (${f.baselineName ?? 'baseline'})`
          : '–'
      } | ${f.ratio ? `${fmt(f.ratio.median)}× (${fmt(f.ratio.min)}–${fmt(f.ratio.max)})` : '–'} | ${
        f.target ? `${f.target.of === 'ratio' ? 'ratio' : 'value'} ${f.target.op} ${f.target.value}` : '–'
      } | ${met === undefined ? '–' : met ? 'yes' : '**no**'} |`,
    );
  }
  return rows.join('\n');
}
