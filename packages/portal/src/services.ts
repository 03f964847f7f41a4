// The default services of the page. Pseudonymisation (docs/portal.md "Pseudonymisation",
// docs/protocol.md §9.7): the page reads ./config.json (the pseudonym service's URL and the
// active OPRF epochs), keeps only what this build pinned (./pins.ts: a URL, epoch or key not
// pinned is refused), asks the match server for a short-lived credential bound to the
// session key (a refusal saying the session is over signs the page out, as every other
// request's does), and has the pinned pseudonym service evaluate the blinded BSN, signing with
// the same session key (signed again once on the service's time when it refuses this browser's
// clock, ./api/pseudonym-service.ts); the SDK's OprfPseudonymiser verifies the proof against the pinned
// public key. The browser holds no covenant key; without a configured pseudonym service,
// placing and looking up refuse (`pseudonym_service_unavailable`).

import {
  cachedCredential,
  OprfPseudonymiser,
  type PseudonymCredential,
  type Pseudonymiser,
} from '@sluis/client-sdk';
import { endsSession, type PortalServices } from './app-context.js';
import { ApiError, serverNow, signedJson } from './api/http.js';
import { clockedPseudonymService } from './api/pseudonym-service.js';
import type { Session } from './api/session.js';
import { BUILT_PINS, choosePinned, type PortalConfig, type PortalPins } from './pins.js';

async function loadConfig(): Promise<PortalConfig> {
  let res: Response;
  try {
    res = await fetch('./config.json', { credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network_error');
  }
  if (!res.ok) throw new ApiError(res.status, 'pseudonym_service_unavailable');
  return (await res.json()) as PortalConfig;
}

/** `pins` and `readConfig` are the build's and ./config.json unless a test passes its own. */
export function defaultServices(
  pins: PortalPins | null = BUILT_PINS,
  readConfig: () => Promise<PortalConfig> = loadConfig,
): PortalServices {
  let config: Promise<PortalConfig> | undefined;
  const perSession = new WeakMap<Session, readonly Pseudonymiser[]>();
  return {
    pseudonymisers: async (session, ended) => {
      const known = perSession.get(session);
      if (known !== undefined) return known;
      config ??= readConfig().catch((e: unknown) => {
        config = undefined;
        throw e;
      });
      const chosen = choosePinned(await config, pins);
      const issue = async () => {
        try {
          return (await signedJson(session.signer, {
            method: 'POST',
            path: '/v1/pseudonym-credentials',
            body: {},
          })) as PseudonymCredential;
        } catch (e) {
          if (endsSession(e)) ended();
          throw e;
        }
      };
      // The credential's expiry is the match server's time, so it is renewed by that clock;
      // the service's requests are signed on the service's own (./api/pseudonym-service.ts).
      const service = clockedPseudonymService({
        serviceUrl: chosen.serviceUrl,
        signingKey: session.signer,
        credential: cachedCredential(issue, { clock: serverNow }),
      });
      const list = chosen.epochs.map((e) =>
        OprfPseudonymiser.create({ epoch: e.epoch, publicKey: e.publicKey, service }),
      );
      perSession.set(session, list);
      return list;
    },
  };
}
