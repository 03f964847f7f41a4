// My signals: the own active signals with the reference kept in this browser, whom the
// professional informed (recorded again here), withdrawal (involvement ended / placed in
// error, the latter after a confirm step), and "find my signal for this client" by typing the
// BSN again — pseudonymised in the page and compared with the lookup tags kept here; the
// server is asked nothing about the person (docs/portal.md "Screens", "Whom you informed");
// above them the own questions to hand a signal over that the coordinator declined
// (./handover-declines.tsx).

import { checkBsn, type Informed, pseudonymiseEach } from '@sluis/client-sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApi, useApp } from '../app-context.js';
import {
  Alert,
  Button,
  Heading1,
  Heading2,
  P,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  useConfirm,
} from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { findByTags, notes, removeNote } from '../local/local-store.js';
import { pruneUnlisted } from '../local/prune-notes.js';
import { lookupTags, tagKey } from '../local/tag-key.js';
import { errorMessage } from './errors.js';
import { ForgetLocal } from './forget-local.js';
import { formatDateTime, formatDay } from './format.js';
import { HandoverDeclines } from './handover-declines.js';
import { InformedForm } from './informed-form.js';
import { LinkClient, type LinkOutcome } from './link-client.js';
import { useReadOnReturn } from './read-on-return.js';
import { signalFlags } from './signal-flags.js';
import { Day, Moment } from './time.js';

export interface SignalRow {
  readonly id: string;
  readonly status: 'active' | 'inactive';
  readonly placedAt: string;
  readonly expiresAt: string;
  readonly contact: { readonly name: string };
  readonly informed: Informed;
  /** The GDPR desk's restriction or pending objection on this signal (API 1.4.0; absent before). */
  readonly restricted?: boolean;
  readonly underObjection?: boolean;
}

/** What linking a signal to a client came to (link-client.tsx). */
const LINKED: Readonly<Record<LinkOutcome, MessageKey>> = {
  linked: 'signals.link.linked',
  other: 'signals.link.other',
};

export function MySignals() {
  const { t, lang } = useI18n();
  const app = useApp();
  const api = useApi();
  const personId = app.session!.personId;
  const [signals, setSignals] = useState<readonly SignalRow[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<{ type: 'ok' | 'error' | 'info' | 'warning'; text: string } | null>(
    null,
  );
  const [bsn, setBsn] = useState('');
  const [bsnError, setBsnError] = useState<string | undefined>(undefined);
  const [found, setFound] = useState<readonly string[] | null>(null);
  const [informing, setInforming] = useState<SignalRow | null>(null);
  const [linking, setLinking] = useState<SignalRow | null>(null);
  const local = notes(personId);

  /** A page of 50 after `after`, or from the start as many as `shown` (at most the API's 500). */
  async function load(after?: string, shown = 0) {
    try {
      const page = (await api({
        method: 'GET',
        path: '/v1/signals',
        // Only the signals this person placed or was handed by a transfer (docs/portal.md).
        query: { status: 'active', personId, limit: Math.min(500, Math.max(50, shown)), cursor: after },
      })) as {
        items: SignalRow[];
        nextCursor?: string;
      };
      setSignals(after === undefined ? page.items : [...(signals ?? []), ...page.items]);
      setCursor(page.items.length === 0 ? undefined : page.nextCursor);
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
    }
  }
  useEffect(() => {
    void load().then(() => pruneUnlisted(api, personId));
  }, []);
  // Back on the page (the tab shown or the window focused again): a signal handed over, ended
  // or withdrawn elsewhere meanwhile shows, as many rows read again as were shown (./read-on-return.ts).
  const shownRef = useRef(0);
  shownRef.current = signals?.length ?? 0;
  useReadOnReturn(() => load(undefined, shownRef.current));

  /**
   * How a signal is named in buttons and the lookup: its reference, or without one its row and
   * placing time, so buttons of signals without a reference still differ (never a BSN or an id).
   */
  function nameOf(id: string): string {
    const reference = local[id]?.reference;
    if (reference) return reference;
    const row = signals?.findIndex((s) => s.id === id) ?? -1;
    if (row < 0) return t('signals.unnamed');
    return t('signals.unnamedRow', { row: row + 1, placed: formatDateTime(signals![row]!.placedAt, lang) });
  }

  async function withdraw(s: SignalRow, reason: 'ended' | 'error') {
    setStatus(null);
    setInforming(null);
    setLinking(null);
    try {
      await api({ method: 'POST', path: `/v1/signals/${s.id}/withdraw`, body: { reason } });
      // Placed in error: the signal is deleted, so is its note. Ended: the signal is archived and
      // its ended matches stay listed, each naming this reference; pruning drops the note when
      // they go (docs/portal.md "What stays in the browser").
      if (reason === 'error') removeNote(personId, s.id);
      setStatus({
        type: 'ok',
        text: t(reason === 'ended' ? 'signals.withdrawn.ended' : 'signals.withdrawn.error'),
      });
      await load();
      void pruneUnlisted(api, personId);
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
    }
  }
  const confirmWithdrawError = useConfirm(
    (s: SignalRow) => ({
      id: 'confirm-withdraw',
      title: t('confirm.withdrawError.title'),
      text: t('confirm.withdrawError.text', { reference: nameOf(s.id) }),
      confirm: t('confirm.withdrawError.button'),
      cancel: t('confirm.cancel'),
    }),
    (s) => void withdraw(s, 'error'),
  );
  const confirmWithdrawEnded = useConfirm(
    (s: SignalRow) => ({
      id: 'confirm-withdraw-ended',
      title: t('confirm.withdrawEnded.title'),
      text: t('confirm.withdrawEnded.text', { reference: nameOf(s.id) }),
      confirm: t('confirm.withdrawEnded.button'),
      cancel: t('confirm.cancel'),
    }),
    (s) => void withdraw(s, 'ended'),
  );

  async function lookup(e: Event) {
    e.preventDefault();
    setFound(null);
    setStatus(null);
    const r = checkBsn(bsn.trim());
    if (!r.ok) {
      setBsnError(t(`place.error.${r.code}` as MessageKey));
      return;
    }
    setBsnError(undefined);
    try {
      // The SDK's pseudonymisation of the one identifier; nothing is sent to the match server.
      const [pseudonyms] = await pseudonymiseEach(await app.services.pseudonymisers(app.session!), [
        r.identifier,
      ]);
      const key = await tagKey(personId);
      setFound(key === undefined ? [] : findByTags(personId, await lookupTags(key, pseudonyms ?? [])));
      setBsn('');
    } catch (x) {
      setStatus({ type: 'error', text: errorMessage(t, x) });
    }
  }

  return (
    <div class="sluis-stack">
      <Heading1>{t('signals.title')}</Heading1>
      <P>{t('signals.intro')}</P>
      {status === null ? null : (
        <Alert type={status.type} focus>
          {status.text}
        </Alert>
      )}
      <HandoverDeclines />
      <form class="sluis-stack" onSubmit={lookup} noValidate aria-labelledby="lookup-title">
        <Heading2 id="lookup-title">{t('signals.lookup.title')}</Heading2>
        <TextField
          id="lookup-bsn"
          label={t('place.bsn')}
          description={t('signals.lookup.help')}
          value={bsn}
          onInput={setBsn}
          error={bsnError}
          inputMode="numeric"
        />
        <Button type="submit" variant="secondary">
          {t('signals.lookup.button')}
        </Button>
        {found === null ? null : (
          <Alert type="info">
            {found.length === 0
              ? t('signals.lookup.none')
              : t('signals.lookup.found', {
                  references: found.map((id) => nameOf(id)).join(', '),
                })}
          </Alert>
        )}
      </form>
      {signals === null ? (
        <P>{t('common.loading')}</P>
      ) : signals.length === 0 ? (
        <P>{t('signals.none')}</P>
      ) : (
        <Table stacked caption={t('signals.caption')}>
          <TableHead
            columns={[
              t('signals.reference'),
              t('signals.placed'),
              t('signals.expires'),
              t('signals.informed'),
              t('common.actions'),
            ]}
          />
          <TableBody>
            {signals.map((s) => {
              const ref = local[s.id]?.reference || t('signals.noReference');
              const name = nameOf(s.id);
              return (
                <TableRow selected={found?.includes(s.id) === true} key={s.id}>
                  <TableCell>
                    {ref}
                    {signalFlags(s).map((k) => (
                      <span key={k}>
                        {' — '}
                        <strong>{t(k)}</strong>
                      </span>
                    ))}
                  </TableCell>
                  <TableCell label={t('signals.placed')}>
                    <Moment value={s.placedAt} />
                  </TableCell>
                  <TableCell label={t('signals.expires')}>
                    <Day value={s.expiresAt} />
                  </TableCell>
                  <TableCell label={t('signals.informed')}>
                    {t(`place.informed.${s.informed.status}` as MessageKey)}
                    {s.informed.date === undefined ? null : (
                      <>
                        {', '}
                        <Day value={s.informed.date} />
                      </>
                    )}
                  </TableCell>
                  <TableCell>
                    <div class="utrecht-button-group">
                      {local[s.id]?.reference ? null : (
                        <Button
                          variant="secondary"
                          onClick={() => {
                            setInforming(null);
                            setLinking(s);
                          }}
                        >
                          {t('signals.link.open', { reference: name })}
                        </Button>
                      )}
                      <Button
                        variant="secondary"
                        onClick={() => {
                          setLinking(null);
                          setInforming(s);
                        }}
                      >
                        {t('signals.informed.change', { reference: name })}
                      </Button>
                      <Button variant="secondary" onClick={() => confirmWithdrawEnded.ask(s)}>
                        {t('signals.withdraw.ended', { reference: name })}
                      </Button>
                      <Button variant="subtle" onClick={() => confirmWithdrawError.ask(s)}>
                        {t('signals.withdraw.error', { reference: name })}
                      </Button>
                    </div>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {informing === null ? null : (
        <InformedForm
          key={informing.id}
          signalId={informing.id}
          name={nameOf(informing.id)}
          current={informing.informed}
          onCancel={() => setInforming(null)}
          onSaved={(informed) => {
            const name = nameOf(informing.id);
            const id = informing.id;
            // The row says what the message says at once; the list is then read again.
            setSignals((list) => list?.map((s) => (s.id === id ? { ...s, informed } : s)) ?? list);
            setInforming(null);
            setStatus({
              type: 'ok',
              text: t(informed.date === undefined ? 'informed.saved.notYet' : 'informed.saved', {
                reference: name,
                status: t(`place.informed.${informed.status}` as MessageKey),
                date: informed.date === undefined ? '' : formatDay(informed.date, lang),
              }),
            });
            void load();
          }}
          onRefused={(e) => {
            setInforming(null);
            setStatus({ type: 'error', text: errorMessage(t, e) });
            void load();
          }}
        />
      )}
      {linking === null ? null : (
        <LinkClient
          key={linking.id}
          signalId={linking.id}
          name={nameOf(linking.id)}
          informed={linking.informed}
          onCancel={() => setLinking(null)}
          onDone={(outcome: LinkOutcome, reference) => {
            const name = nameOf(linking.id);
            setLinking(null);
            setFound(null);
            setStatus({
              type: outcome === 'linked' ? 'ok' : 'warning',
              text: t(LINKED[outcome], { reference: reference === '' ? name : reference, name }),
            });
            void load();
          }}
        />
      )}
      {confirmWithdrawEnded.dialog}
      {confirmWithdrawError.dialog}
      {cursor === undefined ? null : (
        <Button variant="secondary" onClick={() => void load(cursor)}>
          {t('common.more')}
        </Button>
      )}
      <ForgetLocal personId={personId} onForgotten={() => void load()} />
    </div>
  );
}
