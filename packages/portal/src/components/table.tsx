// Data tables (docs/portal.md "Accessibility"): each in its own scroll region named by its
// caption; a `stacked` table's rows become cards on a narrow screen, and its parts (TableHead,
// TableBody, TableRow, TableCell) keep their table roles there. Re-exported by ui.tsx.

import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

/**
 * A data table in its own scroll region (docs/portal.md "Accessibility"): on a narrow screen
 * the table scrolls sideways inside the region instead of breaking words mid-word, and the
 * region, named by the table's caption, takes keyboard focus so it can be scrolled without a
 * mouse (WCAG 1.4.10, 2.1.1).
 */
export function Table(p: {
  readonly caption: string;
  readonly children: ComponentChildren;
  /**
   * Below 40rem each row stacks (styles.css `.sluis-rows`), its cells named by `data-label`:
   * build it of TableHead, TableBody, TableRow and TableCell, which keep the table's roles.
   */
  readonly stacked?: boolean;
}) {
  const id = useId();
  const regionClass = p.stacked ? 'sluis-table-scroll sluis-rows' : 'sluis-table-scroll';
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a named section is a region; it may scroll, so it takes keyboard focus (WCAG 2.1.1).
    <section class={regionClass} aria-labelledby={id} tabIndex={0}>
      <table class="utrecht-table utrecht-table--html-table" role={p.stacked ? 'table' : undefined}>
        <caption class="utrecht-table__caption" id={id}>
          {p.caption}
        </caption>
        {p.children}
      </table>
    </section>
  );
}

/*
 * The parts of a `stacked` Table, each with its ARIA role written out (docs/portal.md
 * "Accessibility"): below 40rem a stacked row is a block, and a browser may then drop the implicit
 * role of a table, row or cell that is no longer displayed as one (Safari's WebKit has done so:
 * VoiceOver on a phone then reads loose text instead of "table, row 3 of 10, column Organisation"). The header
 * row stays for screen readers only; `label` also names a cell's value in its card (`data-label`).
 */

/** The header row: one column header per name. */
export function TableHead({ columns }: { readonly columns: readonly string[] }) {
  return (
    // biome-ignore lint/a11y/noRedundantRoles: a stacked table's parts are blocks; the role must be explicit.
    <thead class="utrecht-table__header" role="rowgroup">
      {/* biome-ignore lint/a11y/noRedundantRoles: as above */}
      <tr class="utrecht-table__row" role="row">
        {columns.map((name) => (
          // biome-ignore lint/a11y/noRedundantRoles: as above
          <th class="utrecht-table__header-cell" scope="col" role="columnheader" key={name}>
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function TableBody({ children }: { readonly children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noRedundantRoles: a stacked table's parts are blocks; the role must be explicit.
    <tbody class="utrecht-table__body" role="rowgroup">
      {children}
    </tbody>
  );
}

export function TableRow(p: {
  readonly children: ComponentChildren;
  readonly selected?: boolean;
  /** More classes, after Utrecht's. */
  readonly class?: string;
}) {
  const cls = `utrecht-table__row${p.selected === true ? ' utrecht-table__row--selected' : ''}${p.class === undefined ? '' : ` ${p.class}`}`;
  return (
    // biome-ignore lint/a11y/noRedundantRoles: a stacked table's parts are blocks; the role must be explicit.
    <tr class={cls} role="row">
      {p.children}
    </tr>
  );
}

/** `label`: the column's name, shown before the value in a stacked card; none for the card's title and actions. */
export function TableCell(p: {
  readonly children: ComponentChildren;
  readonly label?: string;
  readonly class?: string;
  readonly colSpan?: number;
}) {
  return (
    <td
      class={`utrecht-table__cell${p.class === undefined ? '' : ` ${p.class}`}`}
      // biome-ignore lint/a11y/noRedundantRoles: a stacked table's parts are blocks; the role must be explicit.
      role="cell"
      {...(p.label === undefined ? {} : { 'data-label': p.label })}
      {...(p.colSpan === undefined ? {} : { colSpan: p.colSpan })}
    >
      {p.children}
    </td>
  );
}
