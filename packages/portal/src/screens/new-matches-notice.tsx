// In-page notice of matches new since the last visit to the match list — created since, or
// handed to this person by a transfer since (the time of that visit and the matches it
// showed are kept in this browser: docs/portal.md "What stays in the browser").
import { useEffect, useState } from 'preact/hooks';
import { readInbox } from '../api/inbox.js';
import { useApi, useApp } from '../app-context.js';
import { Alert, Link } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { isNew, lastVisit } from '../local/local-store.js';
import { href, useRoute } from '../router.js';

export function NewMatchesNotice() {
  const { t } = useI18n();
  const app = useApp();
  const api = useApi();
  const path = useRoute();
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (path === '/matches') {
      setCount(0);
      return;
    }
    let live = true;
    const visit = lastVisit(app.session!.personId);
    readInbox(api)
      .then(({ items }) => {
        if (live) setCount(items.filter((i) => i.match !== null && isNew(visit, i)).length);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [app.session?.sessionId, path]);
  if (count === 0) return null;
  return (
    <Alert type="info" id="new-matches">
      {t(count === 1 ? 'notice.newMatch' : 'notice.newMatches', { count })}{' '}
      <Link href={href('/matches')}>{t('matches.title')}</Link>
    </Alert>
  );
}
