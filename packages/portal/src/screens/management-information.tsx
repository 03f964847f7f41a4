// Management information for the match coordinator and the administrator (the roles of
// GET /v1/admin/management-information; docs/engine.md "Management information"): counts per
// closed month and organisation type, one table per month. The server suppresses every count
// below its threshold ("<n") and every median over fewer contacts than that; the page says
// those cells in words with the threshold from the answer, and computes nothing of its own —
// no total, no sum of cells — so it shows exactly what the answer holds (docs/privacy.md §3a).

import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/http.js';
import { useApi } from '../app-context.js';
import { Alert, Button, Command, ErrorSummary, Heading1, P, Table, TextField } from '../components/ui.js';
import { type MessageKey, type Translate, useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { formatMonth } from './format.js';
import {
  addMonths,
  checkPeriod,
  lastClosedMonth,
  noNumberShown,
  type PeriodFault,
} from './management-information-model.js';

type Cell = number | string;
interface Row {
  readonly month: string;
  readonly organisationType: string;
  readonly signalsPlaced: Cell;
  readonly signalsWithdrawn: Cell;
  readonly matches: Cell;
  readonly contactMade: Cell;
  readonly alreadyInContact: Cell;
  readonly noContactNeeded: Cell;
  readonly clientRefused: Cell;
  readonly medianDaysToContact: Cell;
}
interface Answer {
  readonly threshold: number;
  readonly from: string;
  readonly to: string;
  readonly rows: readonly Row[];
}

/** The count columns, in order: the key of the row and the heading's text. */
const COUNTS: readonly (readonly [keyof Row, MessageKey])[] = [
  ['signalsPlaced', 'oversight.mi.signalsPlaced'],
  ['signalsWithdrawn', 'oversight.mi.signalsWithdrawn'],
  ['matches', 'oversight.mi.matches'],
  ['contactMade', 'match.outcome.contact_made'],
  ['alreadyInContact', 'match.outcome.already_in_contact'],
  ['noContactNeeded', 'match.outcome.no_contact_needed'],
  ['clientRefused', 'match.outcome.client_refused'],
];
/** The default organisation types have a name in words; a type the municipality added is shown as it is. */
const KNOWN_TYPES: ReadonlySet<string> = new Set([
  'youth_care',
  'general_practice',
  'school',
  'debt_counselling',
  'housing',
  'police',
  'social_services',
  'municipality',
  'other',
]);

/** A cell in words: a count, or "fewer than n" for a suppressed one (`<n`). */
function count(t: Translate, lang: string, cell: Cell): string {
  if (typeof cell === 'number') return cell.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB');
  const n = /^<(\d+)$/.exec(cell);
  return n === null ? '—' : t('oversight.mi.fewer', { threshold: Number(n[1]) });
}

/** Every cell of one month, as the answer holds them: the counts and the median of each row. */
function cellsOf(rows: readonly Row[], month: string): Cell[] {
  return rows
    .filter((r) => r.month === month)
    .flatMap((r) => [...COUNTS.map(([key]) => r[key]), r.medianDaysToContact]);
}

function median(t: Translate, cell: Cell, threshold: number): string {
  return typeof cell === 'number'
    ? t('oversight.mi.days', { count: cell })
    : t('oversight.mi.median.none', { threshold });
}

export function ManagementInformation() {
  const { t, lang } = useI18n();
  const api = useApi();
  const last = lastClosedMonth(Date.now());
  const [from, setFrom] = useState(addMonths(last, -2));
  const [to, setTo] = useState(last);
  const [faults, setFaults] = useState<{ from?: PeriodFault; to?: PeriodFault }>({});
  const [asked, setAsked] = useState<{ from: string; to: string }>({ from, to });
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const summary = useRef<HTMLElement>(null);
  // Each refused submit moves the focus to the summary once it is drawn, so a screen reader reads it first.
  const [refused, setRefused] = useState(0);
  useEffect(() => {
    if (refused > 0) summary.current?.focus();
  }, [refused]);

  useEffect(() => {
    let current = true;
    setAnswer(null);
    setFailure(null);
    api({ method: 'GET', path: '/v1/admin/management-information', query: asked })
      .then((r) => {
        if (current) setAnswer(r as Answer);
      })
      .catch((e) => {
        if (!current) return;
        // The server's own check (its clock may be ahead of this browser's): marked at the fields.
        if (e instanceof ApiError && e.code === 'validation_failed') {
          setFaults({
            ...(e.fields.includes('from') ? { from: 'order' as const } : {}),
            ...(e.fields.includes('to') ? { to: 'closed' as const } : {}),
          });
        }
        setFailure(errorMessage(t, e));
      });
    return () => {
      current = false;
    };
  }, [asked.from, asked.to]);

  const faultText = (f: PeriodFault | undefined) =>
    f === undefined ? undefined : t(`oversight.mi.error.${f}` as MessageKey, { example: last, last });
  const errors = (['from', 'to'] as const)
    .filter((k) => faults[k] !== undefined)
    .map((k) => [`mi-${k}`, `${t(`oversight.mi.${k}`)}: ${faultText(faults[k])}`] as const);

  function submit(e: Event) {
    e.preventDefault();
    const found = checkPeriod(from, to, Date.now());
    setFaults(found);
    if (found.from !== undefined || found.to !== undefined) {
      setRefused((n) => n + 1);
      return;
    }
    setAsked({ from: from.trim(), to: to.trim() });
  }

  const months = answer === null ? [] : [...new Set(answer.rows.map((r) => r.month))];
  const typeName = (type: string) =>
    KNOWN_TYPES.has(type) ? t(`oversight.type.${type}` as MessageKey) : type;
  return (
    <div class="sluis-stack">
      <Heading1>{t('oversight.mi.title')}</Heading1>
      <P>{t('oversight.mi.intro')}</P>
      <ErrorSummary id="mi-errors" title={t('oversight.mi.errors')} errors={errors} summaryRef={summary} />
      <form class="sluis-stack" aria-label={t('oversight.mi.period')} onSubmit={submit} noValidate>
        <TextField
          id="mi-from"
          label={t('oversight.mi.from')}
          description={t('oversight.mi.month.help', { example: addMonths(last, -2), last })}
          value={from}
          error={faultText(faults.from)}
          onInput={setFrom}
        />
        <TextField
          id="mi-to"
          label={t('oversight.mi.to')}
          description={t('oversight.mi.month.help', { example: last, last })}
          value={to}
          error={faultText(faults.to)}
          onInput={setTo}
        />
        <div>
          <Button type="submit">{t('oversight.mi.show')}</Button>
        </div>
      </form>
      {failure === null ? null : <Alert type="error">{failure}</Alert>}
      {answer === null ? (
        failure === null ? (
          <P>{t('common.loading')}</P>
        ) : null
      ) : (
        <div class="sluis-stack">
          <P>{t('oversight.mi.threshold', { threshold: answer.threshold })}</P>
          {months.map((month) => (
            <Fragment key={month}>
              <Table caption={t('oversight.mi.caption', { month: formatMonth(month, lang) })}>
                <thead class="utrecht-table__header">
                  <tr class="utrecht-table__row">
                    <th class="utrecht-table__header-cell" scope="col">
                      {t('oversight.mi.type')}
                    </th>
                    {COUNTS.map(([key, label]) => (
                      <th class="utrecht-table__header-cell" scope="col" key={key}>
                        {t(label)}
                      </th>
                    ))}
                    <th class="utrecht-table__header-cell" scope="col">
                      {t('oversight.mi.median')}
                    </th>
                  </tr>
                </thead>
                <tbody class="utrecht-table__body">
                  {answer.rows
                    .filter((r) => r.month === month)
                    .map((r) => (
                      <tr class="utrecht-table__row" key={r.organisationType}>
                        <th class="utrecht-table__header-cell" scope="row">
                          {typeName(r.organisationType)}
                        </th>
                        {COUNTS.map(([key]) => (
                          <td class="utrecht-table__cell" key={key}>
                            {count(t, lang, r[key])}
                          </td>
                        ))}
                        <td class="utrecht-table__cell">
                          {median(t, r.medianDaysToContact, answer.threshold)}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </Table>
              {noNumberShown(cellsOf(answer.rows, month)) ? (
                <P>{t('adminfix.mi.allSuppressed', { threshold: answer.threshold })}</P>
              ) : null}
            </Fragment>
          ))}
          <P>{t('oversight.mi.csv')}</P>
          <Command>{`sluis-server admin management-info --from ${answer.from} --to ${answer.to} --format csv`}</Command>
          <P>{t('oversight.logbook.export.host')}</P>
          <Command>{`sudo -u sluis sluis-server admin management-info --data-dir /var/lib/sluis --from ${answer.from} --to ${answer.to} --format csv > management-info.csv`}</Command>
        </div>
      )}
    </div>
  );
}
