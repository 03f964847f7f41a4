// The GDPR desk's access overview (art. 15; docs/portal.md "The GDPR desk"): what the answer of
// POST /v1/admin/gdpr/access holds, as tables — the citizen's signals (organisation, status,
// dates, whom was informed, restriction, objection, legal basis, consent), the children's
// signals that name the citizen as a parent, the matches (family matches too, with `via`; each
// organisation's follow-up, regie, process agreements) and who received or viewed a signal (the
// desk's own earlier requests as the access requests they were) — and the citizen's report from
// the SDK's renderAccessReport in Dutch or English, the one part of the page that is printed
// (styles.css, "Printing").

import { renderAccessReport } from '@sluis/client-sdk';
import { useState } from 'preact/hooks';
import { Button, Choice, Fieldset, Heading2, P, Table } from '../components/ui.js';
import { type MessageKey, type Translate, useI18n } from '../i18n/i18n.js';
import { formatDateTime, formatDay } from './format.js';
import type { AccessAnswer } from './gdpr-desk-model.js';
import { agreementTexts, basisText, consentText, followUpTexts, regieText } from './gdpr-desk-words.js';

function Head({ cols }: { cols: readonly MessageKey[] }) {
  const { t } = useI18n();
  return (
    <thead class="utrecht-table__header">
      <tr class="utrecht-table__row">
        {cols.map((c) => (
          <th key={c} class="utrecht-table__header-cell" scope="col">
            {t(c)}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A cell holds one text, or several (one per organisation or agreement) as a list. */
function Cells({ cells }: { cells: readonly (string | readonly string[])[] }) {
  return (
    <>
      {cells.map((c, i) => (
        <td key={i} class="utrecht-table__cell">
          {typeof c === 'string' ? (
            c
          ) : (
            <ul class="utrecht-unordered-list">
              {c.map((line, j) => (
                <li key={j} class="utrecht-unordered-list__item">
                  {line}
                </li>
              ))}
            </ul>
          )}
        </td>
      ))}
    </>
  );
}

function informedText(t: Translate, lang: string, i: { status: string; date?: string | null }): string {
  const date = i.date === undefined || i.date === null ? '' : formatDay(i.date, lang);
  return ['citizen', 'representative', 'both', 'not_yet'].includes(i.status)
    ? t(`gdpr.informed.${i.status}` as MessageKey, { date })
    : i.status;
}

/** The roles in words as the page names them; `organisation` (its system) and others as they are. */
const ROLES = new Set([
  'professional',
  'organisation_coordinator',
  'match_coordinator',
  'gdpr_desk',
  'auditor',
  'administrator',
]);
/** Who acted without a person: an organisation's key alone, or the municipality (the citizen's report words them alike). */
const SYSTEM_ROLES = new Set(['organisation', 'municipality']);
function roleText(t: Translate, role: string): string {
  if (ROLES.has(role)) return t(`role.${role}` as MessageKey);
  return SYSTEM_ROLES.has(role) ? t(`gdpr.role.${role}` as MessageKey) : role;
}

export function AccessOverview({ answer }: { answer: AccessAnswer }) {
  const { t, lang } = useI18n();
  const day = (iso: string | null) => (iso === null ? t('gdpr.none') : formatDay(iso, lang));
  const [reportLang, setReportLang] = useState<'nl' | 'en'>(lang);
  const report = renderAccessReport(answer, reportLang);
  return (
    <div class="sluis-stack">
      <div class="sluis-stack sluis-no-print">
        {answer.signals.length === 0 ? (
          <P>{t('gdpr.signals.none')}</P>
        ) : (
          <Table caption={t('gdpr.signals.caption')}>
            <Head
              cols={[
                'gdpr.col.organisation',
                'gdpr.col.status',
                'gdpr.col.placed',
                'gdpr.col.expires',
                'gdpr.col.ended',
                'gdpr.col.purge',
                'gdpr.col.informed',
                'gdpr.col.restricted',
                'gdpr.col.objection',
                'gdpr.col.basis',
                'gdpr.col.consent',
              ]}
            />
            <tbody class="utrecht-table__body">
              {answer.signals.map((s) => (
                <tr key={s.signalId} class="utrecht-table__row">
                  <Cells
                    cells={[
                      s.organisationName,
                      t(`gdpr.status.${s.status}`),
                      day(s.placedAt),
                      day(s.expiresAt),
                      day(s.endedAt),
                      day(s.purgeAt),
                      informedText(t, lang, s.informed),
                      t(s.restricted ? 'gdpr.yes' : 'gdpr.no'),
                      s.objection === null ? t('gdpr.none') : t(`gdpr.objection.${s.objection}`),
                      basisText(t, lang, s),
                      consentText(t, lang, s) ?? t('gdpr.none'),
                    ]}
                  />
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {answer.parentLinks.length === 0 ? (
          <P>{t('gdpr.parents.none')}</P>
        ) : (
          <Table caption={t('gdpr.parents.caption')}>
            <Head
              cols={[
                'gdpr.col.organisation',
                'gdpr.col.status',
                'gdpr.col.placed',
                'gdpr.col.expires',
                'gdpr.col.ended',
                'gdpr.col.purge',
              ]}
            />
            <tbody class="utrecht-table__body">
              {answer.parentLinks.map((s) => (
                <tr key={s.signalId} class="utrecht-table__row">
                  <Cells
                    cells={[
                      s.organisationName,
                      t(`gdpr.status.${s.status}`),
                      day(s.placedAt),
                      day(s.expiresAt),
                      day(s.endedAt),
                      day(s.purgeAt),
                    ]}
                  />
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {answer.matches.length === 0 ? (
          <P>{t('gdpr.matches.none')}</P>
        ) : (
          <Table caption={t('gdpr.matches.caption')}>
            <Head
              cols={[
                'gdpr.col.kind',
                'gdpr.col.status',
                'gdpr.col.created',
                'gdpr.col.organisations',
                'gdpr.col.via',
                'gdpr.col.followUp',
                'match.regie',
                'match.agreements',
              ]}
            />
            <tbody class="utrecht-table__body">
              {answer.matches.map((m) => (
                <tr key={m.matchId} class="utrecht-table__row">
                  <Cells
                    cells={[
                      t(`gdpr.kind.${m.kind}`),
                      t(m.status === 'active' ? 'gdpr.status.active' : 'gdpr.status.ended'),
                      day(m.createdAt),
                      m.organisationNames.join(' / '),
                      t(`gdpr.via.${m.via}`),
                      // A family match built on a parent link is the child's: the answer carries
                      // none of its follow-up, regie or agreements (api.md "The access report's
                      // `access` list"), so "none recorded" would say what is not known.
                      ...(m.via === 'parent'
                        ? [t('gdpr.withheld.child'), t('gdpr.withheld.child'), t('gdpr.withheld.child')]
                        : [
                            followUpTexts(t, lang, m),
                            regieText(t, lang, m),
                            m.agreements.length === 0
                              ? t('match.agreements.none')
                              : agreementTexts(t, lang, m),
                          ]),
                    ]}
                  />
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {answer.matches.some((m) => m.kind === 'family') && <P>{t('gdpr.family.note')}</P>}
        {answer.access.length === 0 ? (
          <P>{t('gdpr.seen.none')}</P>
        ) : (
          <Table caption={t('gdpr.seen.caption')}>
            <Head
              cols={[
                'gdpr.col.at',
                'gdpr.col.what',
                'gdpr.col.organisation',
                'gdpr.col.role',
                'gdpr.col.person',
              ]}
            />
            <tbody class="utrecht-table__body">
              {answer.access.map((a, i) => (
                <tr key={i} class="utrecht-table__row">
                  <Cells
                    cells={[
                      formatDateTime(a.at, lang),
                      // The municipality views a signal only by an access request (docs/privacy.md
                      // "Who saw the signal"), worded as the citizen's report words it.
                      // API 1.9.0: an archive notice (received, read again) and a placement
                      // answered `existing` are worded as such, as in the citizen's report.
                      a.organisationName !== null
                        ? t(
                            a.via === 'archive_notice' || a.via === 'existing'
                              ? `gdpr.seen.${a.via}.${a.kind}`
                              : `gdpr.seen.${a.kind}`,
                          )
                        : t(
                            a.role === 'gdpr_desk'
                              ? 'gdpr.seen.request.gdpr_desk'
                              : 'gdpr.seen.request.municipality',
                          ),
                      a.organisationName ?? t('gdpr.seen.municipality'),
                      roleText(t, a.role),
                      a.personName ?? t('gdpr.none'),
                    ]}
                  />
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </div>
      <section class="sluis-stack" aria-labelledby="gdpr-report-title">
        <Heading2 id="gdpr-report-title">{t('gdpr.report.title')}</Heading2>
        <div class="sluis-no-print sluis-stack">
          <P>{t('gdpr.report.help')}</P>
          <Fieldset legend={t('gdpr.report.lang')} id="gdpr-report-lang">
            {(['nl', 'en'] as const).map((l) => (
              <Choice
                key={l}
                type="radio"
                id={`gdpr-report-lang-${l}`}
                name="gdpr-report-lang"
                label={t(`gdpr.report.${l}`)}
                checked={reportLang === l}
                onChange={() => setReportLang(l)}
              />
            ))}
          </Fieldset>
          <Button variant="secondary" onClick={() => globalThis.print()}>
            {t('gdpr.report.print')}
          </Button>
        </div>
        <pre class="sluis-report" lang={reportLang}>
          {report}
        </pre>
      </section>
    </div>
  );
}
