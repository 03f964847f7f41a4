// The warning before the session ends for lack of activity (docs/portal.md "Signing in"; WCAG
// 2.1 SC 2.2.1 Timing Adjustable): from 2 minutes before the end this browser knows
// (../local/session-expiry.ts) — or half the idle term, when that is shorter — a modal
// alertdialog says when, with *Stay signed in* (a signed `GET /v1/me`, which moves the end on)
// and *Sign out*. The focus goes to *Stay signed in*; Escape stays signed in too. Ignored, it
// ends the session at the end the page knows, as the server does: the page's ended flow
// (app-context.ts). Every tab of the session warns at the same time; an answer in one closes
// the others' warning, since the request it sends moves the end for all of them.

import { useEffect, useRef, useState } from 'preact/hooks';
import { signOut, type Session } from '../api/session.js';
import { useApi, useApp } from '../app-context.js';
import { useI18n } from '../i18n/i18n.js';
import { type KnownExpiry, sessionExpiry, timeLeft, warningLead } from '../local/session-expiry.js';
import { navigate } from '../router.js';
import { formatTime } from './format.js';

function useKnownExpiry(sessionId: string): KnownExpiry | undefined {
  const [known, setKnown] = useState(() => sessionExpiry.known(sessionId));
  useEffect(() => {
    setKnown(sessionExpiry.known(sessionId));
    return sessionExpiry.subscribe(() => setKnown(sessionExpiry.known(sessionId)));
  }, [sessionId]);
  return known;
}

/**
 * The time left before the known end (../local/session-expiry.ts `timeLeft`: the earlier of the
 * wall clock and the monotonic one), read again after `next` ms (a timer, re-armed on every
 * read: a timer that fires early reads again) and whenever the page is shown again — a timer
 * sleeps with the computer, so a page shown again reads the clocks at once.
 */
function useTimeLeft(
  known: KnownExpiry | undefined,
  next: (left: number) => number | undefined,
): number | undefined {
  const [, setTick] = useState(0);
  const left = known === undefined ? undefined : timeLeft(known);
  const wait = left === undefined ? undefined : next(left);
  useEffect(() => {
    if (wait === undefined) return;
    const wake = () => setTick((n) => n + 1);
    const timer = setTimeout(wake, Math.max(0, wait));
    document.addEventListener('visibilitychange', wake);
    globalThis.addEventListener('focus', wake);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', wake);
      globalThis.removeEventListener('focus', wake);
    };
  });
  return left;
}

export function SessionExpiryWarning({ session }: { readonly session: Session }) {
  const app = useApp();
  const known = useKnownExpiry(session.sessionId);
  const [closedFor, setClosedFor] = useState<number | null>(null);
  const lead = known === undefined ? 0 : warningLead(known.termSeconds);
  // Until the warning, then until the end; nothing to wait for once ended.
  const left = useTimeLeft(known, (l) => (l > lead ? l - lead : l > 0 ? l : undefined));
  const phase = left === undefined ? 'unknown' : left <= 0 ? 'ended' : left <= lead ? 'warning' : 'active';
  useEffect(() => {
    if (phase === 'ended') app.setSession(null, 'ended');
  }, [phase]);
  if (phase !== 'warning' || known === undefined || closedFor === known.endsAt) return null;
  // The end shown on the wall clock, as the earlier clock counts it.
  return <Warning session={session} endsAt={Date.now() + left!} onClose={() => setClosedFor(known.endsAt)} />;
}

function Warning(p: { readonly session: Session; readonly endsAt: number; readonly onClose: () => void }) {
  const { session, endsAt } = p;
  const { t, lang } = useI18n();
  const app = useApp();
  const api = useApi();
  const ref = useRef<HTMLDialogElement>(null);
  const stayRef = useRef<HTMLButtonElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const [problem, setProblem] = useState<'failed' | 'atLimit' | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (d !== null && !d.open) d.showModal();
    stayRef.current?.focus();
    return () => {
      if (d?.open) d.close();
    };
  }, []);
  useEffect(() => {
    // *Stay signed in* is gone at the absolute end: the focus goes to *Close*.
    if (problem === 'atLimit') closeRef.current?.focus();
  }, [problem]);
  const time = formatTime(endsAt, lang);
  const stay = async () => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await api({ method: 'GET', path: '/v1/me' });
      // The answer moved the end (the warning then closes), unless the session's absolute end
      // holds it within the warning's time (docs/api.md "Conventions").
      const known = sessionExpiry.known(session.sessionId);
      if (known !== undefined && timeLeft(known) <= warningLead(known.termSeconds)) setProblem('atLimit');
    } catch {
      // An ended session has signed the page out already (useApi); anything else may be tried again.
      setProblem('failed');
    } finally {
      setBusy(false);
    }
  };
  const leave = () => {
    void signOut(session).catch(() => {});
    app.setSession(null);
    navigate('/');
  };
  return (
    <dialog
      ref={ref}
      class="sluis-dialog"
      role="alertdialog"
      aria-labelledby="session-expiry-title"
      aria-describedby="session-expiry-text"
      onCancel={(e) => {
        e.preventDefault();
        if (problem === 'atLimit') p.onClose();
        else void stay();
      }}
    >
      <div class="sluis-stack">
        <h2 class="utrecht-heading-2" id="session-expiry-title">
          {t('sessionExpiry.title')}
        </h2>
        <p class="utrecht-paragraph" id="session-expiry-text">
          {problem === 'atLimit' ? t('sessionExpiry.atLimit', { time }) : t('sessionExpiry.text', { time })}
        </p>
        {problem === 'failed' ? (
          <div class="utrecht-alert utrecht-alert--error" role="alert">
            <div class="utrecht-alert__message">{t('sessionExpiry.failed')}</div>
          </div>
        ) : null}
        <div class="utrecht-button-group">
          {problem === 'atLimit' ? (
            <button
              class="utrecht-button utrecht-button--primary-action"
              type="button"
              ref={closeRef}
              onClick={p.onClose}
            >
              {t('sessionExpiry.close')}
            </button>
          ) : (
            <button
              class="utrecht-button utrecht-button--primary-action"
              type="button"
              ref={stayRef}
              aria-disabled={busy ? 'true' : undefined}
              onClick={() => void stay()}
            >
              {t('sessionExpiry.stay')}
            </button>
          )}
          <button class="utrecht-button utrecht-button--secondary-action" type="button" onClick={leave}>
            {t('sessionExpiry.signOut')}
          </button>
        </div>
      </div>
    </dialog>
  );
}
