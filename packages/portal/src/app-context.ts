// What every screen may use: the session (kept in IndexedDB, ../local/session-store.ts), the
// injected services, and one way to handle a refused request (an ended session signs the page out).

import type { Pseudonymiser } from '@sluis/client-sdk';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ApiError, type ApiRequest } from './api/http.js';
import { call, type Session } from './api/session.js';

export interface PortalServices {
  /**
   * The pseudonymisers the page uses for this session: OPRF epochs evaluated by the pseudonym
   * service (docs/portal.md "Pseudonymisation"); the browser holds no covenant key. `ended`
   * is called when a request they make for the session (the credential) finds it over.
   */
  pseudonymisers(session: Session, ended: () => void): Promise<readonly Pseudonymiser[]>;
}

/** The services as screens use them: an ended session found by them signs the page out. */
export interface PageServices {
  pseudonymisers(session: Session): Promise<readonly Pseudonymiser[]>;
}

export interface AppState {
  readonly session: Session | null;
  readonly setSession: (session: Session | null, reason?: 'ended') => void;
  readonly services: PageServices;
}

export const AppContext = createContext<AppState | null>(null);

let endedByServer = false;

/** Set by the shell when the server (or another tab) ends the session, cleared at sign-in or sign-out. */
export function markSessionEnded(ended: boolean): void {
  endedByServer = ended;
}

/**
 * Whether the session just ended at the server's word (not by signing out): a screen that
 * closes then may keep what it safely can for after the sign-in (screens/place-signal-draft.ts).
 */
export function sessionEnded(): boolean {
  return endedByServer;
}

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (app === null) throw new Error('AppContext missing');
  return app;
}

/**
 * The 401 codes after which the page holds no usable session any more. The server refuses an
 * ended session (signed out, idle or absolute expiry, device or person removed) with
 * `session_expired` and a signature its key does not verify with `signature_invalid`
 * (engine auth/session-auth.ts); a session key id is never answered `key_unknown` or
 * `key_revoked`, which are for registered keys.
 */
const ENDED = new Set(['session_expired', 'signature_invalid']);

/** Whether a refusal says the session is over (the page then signs out). */
export function endsSession(e: unknown): boolean {
  return e instanceof ApiError && e.status === 401 && ENDED.has(e.code);
}

/** A signed call; an answer saying the session is over signs the page out. */
export function useApi(): (request: ApiRequest) => Promise<unknown> {
  const app = useApp();
  return async (request) => {
    if (app.session === null) throw new ApiError(401, 'session_expired');
    try {
      return await call(app.session, request);
    } catch (e) {
      if (endsSession(e)) app.setSession(null, 'ended');
      throw e;
    }
  };
}
