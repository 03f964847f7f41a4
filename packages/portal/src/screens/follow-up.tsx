// Match coordinator (municipality): the follow-up overview — matches with each party's
// organisation, outcome and regie, never a person — with filters and paging
// (GET /v1/admin/follow-up, docs/api.md "Admin (municipality) routes"). A match is overdue when neither
// party recorded an outcome after `noContactAfterDays` (the server's default 14); the screen
// sends the number it shows, so the column says after how many days. The API has no "all
// statuses": a request without `status` gets the active matches only, so the status filter
// offers active (the default, always sent) or ended, and no "all" that would show active only.

import { useEffect, useState } from 'preact/hooks';
import { useApi } from '../app-context.js';
import { Alert, Button, ButtonGroup, Heading1, P, Table, TextField } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { Moment } from './time.js';

interface Item {
  readonly matchId: string;
  readonly kind: 'person' | 'family';
  readonly status: 'active' | 'ended';
  readonly createdAt: string;
  readonly overdue: boolean;
  readonly parties: readonly {
    organisationId: string;
    organisationName: string;
    followUp: { outcome: string } | null;
  }[];
  readonly regie: { organisationId: string | null };
}

const PAGE = 20;
/** The server's default threshold (docs/engine.md "The follow-up overview at scale"), sent explicitly. */
const OVERDUE_DAYS = 14;
const OUTCOMES = ['contact_made', 'already_in_contact', 'no_contact_needed', 'client_refused'] as const;

/** A whole number of days from 0 to 3650 (the server's bounds), or undefined. */
function days(text: string): number | undefined {
  if (!/^\d{1,4}$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n <= 3650 ? n : undefined;
}

export function FollowUp() {
  const { t } = useI18n();
  const api = useApi();
  const [filter, setFilter] = useState<{
    status: string;
    followUp: string;
    outcome: string;
    sort: string;
    days: number;
  }>({
    status: 'active',
    followUp: '',
    outcome: '',
    sort: 'oldest',
    days: OVERDUE_DAYS,
  });
  const [daysText, setDaysText] = useState(String(OVERDUE_DAYS));
  const [pages, setPages] = useState<readonly (string | undefined)[]>([undefined]);
  const [loaded, setLoaded] = useState<{
    readonly key: string;
    readonly items: readonly Item[];
    readonly next: string | undefined;
  } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const cursor = pages[pages.length - 1];
  // The rows shown belong to the page and filters they were asked for: until this page's
  // answer arrives (also in the render right after a click, before any effect has run)
  // nothing of the previous page is shown under the new caption.
  const key = JSON.stringify([filter, pages.length, cursor ?? null]);
  const items = loaded !== null && loaded.key === key ? loaded.items : null;
  const next = loaded !== null && loaded.key === key ? loaded.next : undefined;

  useEffect(() => {
    // An answer for a page or filter left meanwhile is dropped.
    let current = true;
    api({
      method: 'GET',
      path: '/v1/admin/follow-up',
      query: {
        limit: PAGE,
        sort: filter.sort,
        status: filter.status,
        followUp: filter.followUp || undefined,
        outcome: filter.outcome || undefined,
        noContactAfterDays: filter.days,
        cursor,
      },
    })
      .then((r) => {
        if (!current) return;
        const page = r as { items: Item[]; nextCursor?: string };
        setLoaded({ key, items: page.items, next: page.nextCursor });
        setFailure(null);
      })
      .catch((e) => {
        if (current) setFailure(errorMessage(t, e));
      });
    return () => {
      current = false;
    };
  }, [key]);

  const select = (id: 'status' | 'followUp' | 'outcome' | 'sort', options: readonly string[]) => (
    <div class="utrecht-form-field">
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={`filter-${id}`}>
          {t(`followUp.filter.${id}` as MessageKey)}
        </label>
      </div>
      <div class="utrecht-form-field__input">
        <select
          id={`filter-${id}`}
          class="utrecht-select utrecht-select--html-select"
          value={filter[id]}
          onChange={(e) => {
            setFilter({ ...filter, [id]: (e.currentTarget as HTMLSelectElement).value });
            setPages([undefined]);
          }}
        >
          {options.map((o) => (
            <option key={o} value={o}>
              {t(
                (o === ''
                  ? 'followUp.option.all'
                  : id === 'outcome'
                    ? `match.outcome.${o}`
                    : `followUp.option.${o}`) as MessageKey,
              )}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
  return (
    <div class="sluis-stack">
      <Heading1>{t('followUp.title')}</Heading1>
      <P>{t('followUp.intro')}</P>
      <form class="sluis-stack" aria-label={t('followUp.filters')} onSubmit={(e) => e.preventDefault()}>
        {select('status', ['active', 'ended'])}
        {select('followUp', ['', 'none', 'overdue', 'recorded'])}
        {select('outcome', ['', ...OUTCOMES])}
        <TextField
          id="filter-days"
          label={t('followUp.filter.days')}
          description={t('followUp.filter.days.help')}
          inputMode="numeric"
          value={daysText}
          error={days(daysText) === undefined ? t('followUp.filter.days.error') : undefined}
          onInput={(v) => {
            setDaysText(v);
            const n = days(v);
            if (n !== undefined && n !== filter.days) {
              setFilter({ ...filter, days: n });
              setPages([undefined]);
            }
          }}
        />
        {select('sort', ['oldest', 'newest'])}
      </form>
      {failure === null ? null : <Alert type="error">{failure}</Alert>}
      {items === null ? (
        failure === null ? (
          <P>{t('common.loading')}</P>
        ) : null
      ) : items.length === 0 ? (
        <P>{t('followUp.none')}</P>
      ) : (
        <Table caption={t('followUp.caption', { page: pages.length })}>
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="col">
                {t('match.created')}
              </th>
              <th class="utrecht-table__header-cell" scope="col">
                {t('match.kind')}
              </th>
              <th class="utrecht-table__header-cell" scope="col">
                {t('match.status')}
              </th>
              <th class="utrecht-table__header-cell" scope="col">
                {t('followUp.parties')}
              </th>
              <th class="utrecht-table__header-cell" scope="col">
                {t('followUp.overdueAfter', { days: filter.days })}
              </th>
              <th class="utrecht-table__header-cell" scope="col">
                {t('followUp.regie')}
              </th>
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            {items.map((i) => (
              <tr class="utrecht-table__row" key={i.matchId}>
                <td class="utrecht-table__cell">
                  <Moment value={i.createdAt} />
                </td>
                <td class="utrecht-table__cell">{t(`match.kind.${i.kind}` as MessageKey)}</td>
                <td class="utrecht-table__cell">{t(`match.status.${i.status}` as MessageKey)}</td>
                <td class="utrecht-table__cell">
                  {i.parties
                    .map(
                      (p) =>
                        `${p.organisationName}: ${p.followUp === null ? t('match.followUp.none') : t(`match.outcome.${p.followUp.outcome}` as MessageKey)}`,
                    )
                    .join('; ')}
                </td>
                <td class="utrecht-table__cell">{i.overdue ? t('common.yes') : t('common.no')}</td>
                <td class="utrecht-table__cell">
                  {i.regie.organisationId === null
                    ? t('followUp.regie.none')
                    : (i.parties.find((p) => p.organisationId === i.regie.organisationId)?.organisationName ??
                      t('followUp.regie.gone'))}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <nav aria-label={t('followUp.paging')}>
        <ButtonGroup>
          <Button
            variant="secondary"
            disabled={pages.length <= 1}
            onClick={() => setPages(pages.slice(0, -1))}
          >
            {t('common.previous')}
          </Button>
          <Button
            variant="secondary"
            disabled={next === undefined}
            onClick={() => setPages([...pages, next])}
          >
            {t('common.next')}
          </Button>
        </ButtonGroup>
      </nav>
    </div>
  );
}
