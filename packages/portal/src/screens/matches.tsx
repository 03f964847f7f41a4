// The matches: one row per match with the counterpart's organisation and contact, newest
// first, the ones new since the last visit marked (created since, or handed over by a
// transfer since: not in the list then). Opening the list records the visit. The list is read
// again when the person comes back to the page (./read-on-return.ts): a signal handed to them
// or away meanwhile shows without a reload.
import { useEffect, useState } from 'preact/hooks';
import { type InboxItem, readInbox } from '../api/inbox.js';
import { useApi, useApp } from '../app-context.js';
import {
  Alert,
  Heading1,
  Link,
  P,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { isNew, lastVisit, markVisit } from '../local/local-store.js';
import { pruneUnlisted } from '../local/prune-notes.js';
import { href } from '../router.js';
import { errorMessage } from './errors.js';
import { counterpartContactText } from './counterpart-contact.js';
import { ownReference } from './own-reference.js';
import { useReadOnReturn } from './read-on-return.js';
import { Moment } from './time.js';

export function Matches() {
  const { t } = useI18n();
  const app = useApp();
  const api = useApi();
  const personId = app.session!.personId;
  const [items, setItems] = useState<readonly InboxItem[] | null>(null);
  const [visit] = useState(lastVisit(personId));
  const [failure, setFailure] = useState<string | null>(null);
  const [complete, setComplete] = useState(true);
  const load = () =>
    readInbox(api)
      .then((read) => {
        setFailure(null);
        const shown = read.items.filter((i) => i.match !== null);
        setItems(shown);
        setComplete(read.complete);
        markVisit(
          personId,
          new Date().toISOString(),
          shown.map((i) => i.matchId),
        );
        return pruneUnlisted(api, personId);
      })
      .catch((e) => setFailure(errorMessage(t, e)));
  useEffect(() => {
    void load();
  }, []);
  useReadOnReturn(load);
  return (
    <div class="sluis-stack">
      <Heading1>{t('matches.title')}</Heading1>
      <P>{t('matches.intro')}</P>
      {failure === null ? null : <Alert type="error">{failure}</Alert>}
      {/* Said plainly: the list may lack matches, and the newest ones at that (oldest first). */}
      {complete ? null : <Alert type="warning">{t('matches.incomplete')}</Alert>}
      {items === null ? (
        failure === null ? (
          <P>{t('common.loading')}</P>
        ) : null
      ) : items.length === 0 ? (
        <P>{t('matches.none')}</P>
      ) : (
        <Table stacked caption={t('matches.caption')}>
          <TableHead
            columns={[
              t('match.organisation'),
              t('match.contact'),
              t('mine.reference'),
              t('match.kind'),
              t('match.status'),
              t('match.created'),
            ]}
          />
          <TableBody>
            {items.map(({ match, matchId, createdAt }) => (
              <TableRow key={match!.id}>
                <TableCell>
                  <Link href={href(`/matches/${match!.id}`)}>{match!.counterpart.organisationName}</Link>
                  {isNew(visit, { matchId, createdAt }) ? (
                    <span class="utrecht-status-badge utrecht-status-badge--active"> {t('matches.new')}</span>
                  ) : null}
                </TableCell>
                <TableCell label={t('match.contact')}>{counterpartContactText(t, match!)}</TableCell>
                <TableCell label={t('mine.reference')}>
                  {ownReference(t, personId, match!.ownSignalId)}
                </TableCell>
                <TableCell label={t('match.kind')}>{t(`match.kind.${match!.kind}` as MessageKey)}</TableCell>
                <TableCell label={t('match.status')}>
                  {t(`match.status.${match!.status}` as MessageKey)}
                </TableCell>
                <TableCell label={t('match.created')}>
                  <Moment value={createdAt} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
