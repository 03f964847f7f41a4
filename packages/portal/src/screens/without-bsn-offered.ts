// Whether the page may offer "a person without a BSN" (docs/portal.md "A person without a BSN"):
// only when every epoch the page pseudonymises under is an OPRF epoch (the SDK's
// substituteAllowed), since surname, date of birth and gender must never be HMACed under a
// covenant key. One rule for the place-signal form and the GDPR desk's citizen form.

import { substituteAllowed } from '@sluis/client-sdk';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../api/session.js';
import { type PageServices, useApp } from '../app-context.js';

/** The session's pseudonymisers allow it; false when they cannot be had (nothing is offered then). */
export function withoutBsnOffered(services: PageServices, session: Session): Promise<boolean> {
  return services
    .pseudonymisers(session)
    .then((p) => substituteAllowed(p.map((x) => x.kind)))
    .catch(() => false);
}

/** `withoutBsnOffered` for the signed-in session; undefined while the page finds out. */
export function useWithoutBsnOffered(): boolean | undefined {
  const app = useApp();
  const [offered, setOffered] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    let live = true;
    if (app.session !== null)
      void withoutBsnOffered(app.services, app.session).then((o) => {
        if (live) setOffered(o);
      });
    return () => {
      live = false;
    };
  }, [app.session]);
  return offered;
}
