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
   * service (docs/portal.md "Pseudonymisation"); the browser holds no covenant key.
   */
  pseudonymisers(session: Session): Promise<readonly Pseudonymiser[]>;
}

export interface AppState {
  readonly session: Session | null;
  readonly setSession: (session: Session | null, reason?: 'ended') => void;
  readonly services: PortalServices;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (app === null) throw new Error('AppContext missing');
  return app;
}

/** Session codes after which the page holds no usable session any more. */
const ENDED = new Set([
  'session_expired',
  'signature_invalid',
  'key_unknown',
  'key_revoked',
  'person_removed',
]);

/** A signed call; an answer saying the session is over signs the page out. */
export function useApi(): (request: ApiRequest) => Promise<unknown> {
  const app = useApp();
  return async (request) => {
    if (app.session === null) throw new ApiError(401, 'session_expired');
    try {
      return await call(app.session, request);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401 && ENDED.has(e.code)) app.setSession(null, 'ended');
      throw e;
    }
  };
}
