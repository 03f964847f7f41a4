// The portal's shell: skip link, header with the language switch, navigation by role,
// the current screen in <main>, and the footer with the statements. The route decides
// the screen; a screen that needs a role the session lacks is not offered, and opened anyway
// (a link, a typed address) it says that it is not for the person's role. Signing out, or
// the server ending the session, is told to the portal's other tabs of this browser
// (BroadcastChannel), which drop the session and the screen they showed at once; before the
// session ends for lack of activity, a warning offers to stay signed in (docs/portal.md
// "Signing in").

import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Heading1, Link, P } from './components/ui.js';
import { AppContext, type AppState, markSessionEnded, type PortalServices, useApi } from './app-context.js';
import { onSessionExpiry } from './api/http.js';
import { forgetStoredSession, restoreSession, signOut, type Session } from './api/session.js';
import { sessionExpiry } from './local/session-expiry.js';
import {
  I18nContext,
  type I18n,
  type Lang,
  type MessageKey,
  storedLang,
  storeLang,
  translator,
  useI18n,
} from './i18n/i18n.js';
import { href, navigate, takeKeepFocus, useRoute } from './router.js';
import { Accessibility, Privacy } from './screens/statements.js';
import { Devices } from './screens/devices.js';
import { Enrol } from './screens/enrol.js';
import { FollowUp } from './screens/follow-up.js';
import { GdprDesk } from './screens/gdpr-desk.js';
import { Home } from './screens/home.js';
import { Logbook } from './screens/logbook.js';
import { ManagementInformation } from './screens/management-information.js';
import { MatchDetail } from './screens/match-detail.js';
import { Matches } from './screens/matches.js';
import { Municipality } from './screens/municipality.js';
import { MySignals } from './screens/my-signals.js';
import { Organisation } from './screens/organisation.js';
import { PlaceSignal } from './screens/place-signal.js';
import { landingPath, SignIn } from './screens/sign-in.js';
import { NewMatchesNotice } from './screens/new-matches-notice.js';
import { SessionExpiryWarning } from './screens/session-expiry.js';

interface Screen {
  readonly title: MessageKey;
  readonly render: (param: string | undefined) => ComponentChildren;
  /** Roles of which the session needs one; undefined: no session needed. */
  readonly roles?: readonly string[];
  readonly nav?: true;
}

const ANY = [
  'professional',
  'organisation_coordinator',
  'match_coordinator',
  'administrator',
  'auditor',
  'gdpr_desk',
];

/** The channel on which one tab tells the others that the session kept in this browser is gone. */
const SIGNED_OUT = 'sluis.signed-out';
/** The message names the session that ended (its id, never a person): `signed-out:<sessionId>`. */
const SIGNED_OUT_MESSAGE = 'signed-out:';

const SCREENS: Readonly<Record<string, Screen>> = {
  '/': { title: 'home.title', render: () => <Home /> },
  '/sign-in': { title: 'signIn.title', render: () => <SignIn /> },
  '/enrol': { title: 'enrol.title', render: () => <Enrol /> },
  '/signals/new': { title: 'place.title', render: () => <PlaceSignal />, roles: ['professional'], nav: true },
  // The preview of a placement is a history entry of its own, so Back returns to the filled
  // form; the URL carries no data (docs/portal.md "Placing a signal").
  '/signals/new/preview': {
    title: 'place.title',
    render: () => <PlaceSignal preview />,
    roles: ['professional'],
  },
  '/signals': { title: 'signals.title', render: () => <MySignals />, roles: ['professional'], nav: true },
  '/matches': { title: 'matches.title', render: () => <Matches />, roles: ['professional'], nav: true },
  '/matches/:id': {
    title: 'match.title',
    render: (id) => <MatchDetail matchId={id ?? ''} />,
    roles: ['professional'],
  },
  '/organisation': {
    title: 'org.title',
    render: () => <Organisation />,
    roles: ['organisation_coordinator'],
    nav: true,
  },
  '/follow-up': {
    title: 'followUp.title',
    render: () => <FollowUp />,
    roles: ['match_coordinator'],
    nav: true,
  },
  '/municipality': {
    title: 'municipality.title',
    render: () => <Municipality />,
    roles: ['administrator'],
    nav: true,
  },
  '/management-information': {
    title: 'oversight.mi.title',
    render: () => <ManagementInformation />,
    roles: ['match_coordinator', 'administrator'],
    nav: true,
  },
  '/logbook': { title: 'oversight.logbook.title', render: () => <Logbook />, roles: ['auditor'], nav: true },
  // The roles of the API's GDPR routes (docs/api.md "Admin (municipality) routes").
  '/gdpr': { title: 'gdpr.title', render: () => <GdprDesk />, roles: ['gdpr_desk'], nav: true },
  '/devices': { title: 'devices.title', render: () => <Devices />, roles: ANY, nav: true },
  '/accessibility': { title: 'a11y.title', render: () => <Accessibility /> },
  '/privacy': { title: 'privacy.title', render: () => <Privacy /> },
};

function match(path: string): { key: string; param: string | undefined } {
  if (Object.hasOwn(SCREENS, path)) return { key: path, param: undefined };
  const m = /^\/matches\/([0-9a-f-]{36})$/.exec(path);
  if (m !== null) return { key: '/matches/:id', param: m[1] };
  return { key: '/', param: undefined };
}

function allowed(screen: Screen, session: Session | null): boolean {
  if (screen.roles === undefined) return true;
  return session?.roles.some((r) => screen.roles!.includes(r)) === true;
}

export function App({ services }: { services: PortalServices }) {
  const [lang, setLangState] = useState<Lang>(storedLang());
  const [session, setSessionState] = useState<Session | null>(null);
  const sessionIdRef = useRef<string | null>(null);
  sessionIdRef.current = session?.sessionId ?? null;
  const [ended, setEnded] = useState(false);
  // Until the session kept in IndexedDB is read, no screen decides who is signed in.
  const [restoring, setRestoring] = useState(true);
  const path = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);
  const channel = useRef<BroadcastChannel | null>(null);

  const i18n: I18n = useMemo(
    () => ({
      lang,
      t: translator(lang),
      setLang: (l: Lang) => {
        storeLang(l);
        setLangState(l);
      },
    }),
    [lang],
  );
  const app: AppState = useMemo(() => {
    const setSession = (s: Session | null, reason?: 'ended') => {
      setSessionState(s);
      // Only this session's record and tabs: another tab may hold a newer sign-in by now.
      if (s === null && session !== null) {
        void forgetStoredSession(session.sessionId);
        channel.current?.postMessage(`${SIGNED_OUT_MESSAGE}${session.sessionId}`);
      }
      setEnded(reason === 'ended');
      markSessionEnded(s === null && reason === 'ended');
      // An ended session shows the sign-in in place of the screen (the route stays), so that
      // signing in returns to it (docs/portal.md "Signing in").
    };
    return {
      session,
      setSession,
      services: { pseudonymisers: (s) => services.pseudonymisers(s, () => setSession(null, 'ended')) },
    };
  }, [session, services]);

  const { key, param } = match(path);
  const screen = SCREENS[key]!;
  const permitted = allowed(screen, session);
  const t = i18n.t;

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${t(permitted ? screen.title : session === null ? 'signIn.title' : 'notForRole.title')} · ${t('app.name')}`;
  }, [lang, key, permitted, session === null]);
  useEffect(() => {
    void restoreSession()
      .catch(() => null)
      .then((s) => {
        setSessionState((current) => current ?? s);
        setRestoring(false);
      });
  }, []);
  useEffect(() => {
    // Every signed answer says how long the session lives on; the tabs share what they learn.
    onSessionExpiry((sessionId, end, seconds) => sessionExpiry.told(sessionId, end, seconds));
    const stop = sessionExpiry.listenToTabs();
    return () => {
      onSessionExpiry(undefined);
      stop();
    };
  }, []);
  useEffect(() => {
    // Another tab signed out or found the session ended: the session kept here is gone too.
    if (typeof BroadcastChannel !== 'function') return;
    const c = new BroadcastChannel(SIGNED_OUT);
    c.onmessage = (e: MessageEvent) => {
      if (typeof e.data !== 'string' || !e.data.startsWith(SIGNED_OUT_MESSAGE)) return;
      if (sessionIdRef.current !== e.data.slice(SIGNED_OUT_MESSAGE.length)) return;
      markSessionEnded(true);
      setSessionState(null);
      setEnded(true);
    };
    channel.current = c;
    return () => c.close();
  }, []);
  useEffect(() => {
    // Focus moves to the new screen (not on first load: the skip link stays first).
    if (first.current) first.current = false;
    else if (!takeKeepFocus()) mainRef.current?.focus();
  }, [path]);
  // The sign-in takes the screen's place on the same address (the session ended, idle or in
  // another tab), or the screen the sign-in's (signing in on a deep link, or back on a restored
  // form): the element that had the focus is gone, so it moves to the new content, as on a
  // change of address — never left on <body> (WCAG 2.4.3). Not when the session is read back at
  // page load.
  const signedIn = session !== null;
  const wasSignedIn = useRef<boolean | undefined>(undefined);
  useEffect(() => {
    if (restoring) return;
    const before = wasSignedIn.current;
    wasSignedIn.current = signedIn;
    if (before !== undefined && before !== signedIn && !mainRef.current?.contains(document.activeElement))
      mainRef.current?.focus();
  }, [signedIn, restoring]);

  const other: Lang = lang === 'nl' ? 'en' : 'nl';
  return (
    <I18nContext.Provider value={i18n}>
      <AppContext.Provider value={app}>
        <div class="utrecht-page sluis-page">
          <a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#main">
            {t('app.skip')}
          </a>
          <header class="utrecht-page-header sluis-header">
            <a class="utrecht-link utrecht-link--html-a" href={href('/')}>
              {t('app.name')}
            </a>
            <div class="utrecht-button-group">
              <button
                class="utrecht-button utrecht-button--secondary-action"
                type="button"
                lang={other}
                onClick={() => i18n.setLang(other)}
              >
                {t('app.otherLanguage')}
              </button>
              {session === null ? null : <SignedInAs session={session} />}
              {session === null ? null : (
                <button
                  class="utrecht-button utrecht-button--subtle"
                  type="button"
                  onClick={() => {
                    void signOut(session).catch(() => {});
                    app.setSession(null);
                    navigate('/');
                  }}
                >
                  {t('app.signOut')}
                </button>
              )}
            </div>
          </header>
          {session === null ? null : (
            <Nav session={session} path={key === '/signals/new/preview' ? '/signals/new' : key} />
          )}
          <main id="main" class="utrecht-page-content sluis-main" tabIndex={-1} ref={mainRef}>
            {session?.roles.includes('professional') ? <NewMatchesNotice /> : null}
            {ended && session === null ? (
              <div class="utrecht-alert utrecht-alert--warning" role="status">
                <div class="utrecht-alert__message">{t('app.sessionEnded')}</div>
              </div>
            ) : null}
            {restoring && screen.roles !== undefined ? (
              <p class="utrecht-paragraph">{t('common.loading')}</p>
            ) : permitted ? (
              screen.render(param)
            ) : session !== null ? (
              <NotForRole session={session} />
            ) : (
              <SignIn returnHere={(roles) => roles.some((r) => screen.roles?.includes(r) === true)} />
            )}
          </main>
          <footer class="utrecht-page-footer sluis-footer">
            <nav aria-label={t('app.footerNav')} class="sluis-nav">
              <ul>
                <li>
                  <a class="utrecht-link utrecht-link--html-a" href={href('/accessibility')}>
                    {t('a11y.title')}
                  </a>
                </li>
                <li>
                  <a class="utrecht-link utrecht-link--html-a" href={href('/privacy')}>
                    {t('privacy.title')}
                  </a>
                </li>
              </ul>
            </nav>
          </footer>
          {session === null ? null : <SessionExpiryWarning session={session} />}
        </div>
      </AppContext.Provider>
    </I18nContext.Provider>
  );
}

/** A screen the signed-in person's roles do not open: said so, with the way to their own start page. */
function NotForRole({ session }: { session: Session }) {
  const { t } = useI18n();
  return (
    <div class="sluis-stack">
      <Heading1>{t('notForRole.title')}</Heading1>
      <P>{t('notForRole.text')}</P>
      <P>
        <Link href={href(landingPath(session.roles))}>{t('notForRole.link')}</Link>
      </P>
    </div>
  );
}

function Nav({ session, path }: { session: Session; path: string }) {
  const { t } = useI18n();
  const items = Object.entries(SCREENS).filter(([, s]) => s.nav && allowed(s, session));
  return (
    <nav aria-label={t('app.mainNav')} class="sluis-nav">
      <ul>
        {items.map(([p, s]) => (
          <li key={p}>
            <a
              class="utrecht-link utrecht-link--html-a"
              href={href(p)}
              {...(p === path ? { 'aria-current': 'page' } : {})}
            >
              {t(s.title)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * Who is signed in (docs/portal.md "Signing in"): the person's display name from `GET /v1/me`
 * and, for a person of an organisation, its name from `GET /v1/whoami` — shown in the header
 * only, never in the title or the URL, so a shared computer shows whose session is open.
 */
function SignedInAs({ session }: { session: Session }) {
  const { t } = useI18n();
  const api = useApi();
  const [who, setWho] = useState<{ name: string; organisation: string | null } | null>(null);
  useEffect(() => {
    let current = true;
    const organisation =
      session.roles.includes('professional') || session.roles.includes('organisation_coordinator')
        ? api({ method: 'GET', path: '/v1/whoami' }).then(
            (r) => (r as { organisation: { name: string } }).organisation.name,
            () => null,
          )
        : Promise.resolve(null);
    void Promise.all([api({ method: 'GET', path: '/v1/me' }), organisation])
      .then(([me, org]) => {
        if (current) setWho({ name: (me as { displayName: string }).displayName, organisation: org });
      })
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [session.sessionId]);
  if (who === null) return null;
  return (
    <p class="utrecht-paragraph sluis-signed-in">
      {who.organisation === null
        ? t('app.signedInAs', { name: who.name })
        : t('app.signedInAsOf', { name: who.name, organisation: who.organisation })}
    </p>
  );
}
