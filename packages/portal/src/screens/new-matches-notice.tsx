// In-page notice of matches new since the last visit to the match list — created since, or
// handed to this person by a transfer since (the time of that visit and the matches it
// showed are kept in this browser: docs/portal.md "What stays in the browser"). The inbox is
// not read whole again on every screen: the session's InboxFollower reads the events after the
// last one it read (../api/inbox-follower.ts) — on every screen, with no least interval, so a
// screen opened just after another never shows an older count than a whole read would; the
// matches it would count are those of signals the person holds now (a transfer away leaves
// no event in their inbox), asked only when there is one to count.
import { useEffect, useState } from 'preact/hooks';
import { InboxFollower } from '../api/inbox-follower.js';
import { useApi, useApp } from '../app-context.js';
import { Alert, Link } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { isNew, lastVisit } from '../local/local-store.js';
import { href, useRoute } from '../router.js';

/** The session's kept inbox; a new session (another person) starts a new one. */
let kept: { readonly sessionId: string; readonly follower: InboxFollower } | undefined;

function followerFor(sessionId: string): InboxFollower {
  if (kept?.sessionId !== sessionId) kept = { sessionId, follower: new InboxFollower() };
  return kept.follower;
}

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
    const { personId, sessionId } = app.session!;
    const visit = lastVisit(personId);
    const follower = followerFor(sessionId);
    follower
      .items(api)
      // Only the matches of signals this person holds now: one handed away since is not new.
      .then((items) =>
        follower.held(
          api,
          personId,
          items.filter((i) => isNew(visit, i)),
        ),
      )
      .then((held) => {
        if (live) setCount(held.length);
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
