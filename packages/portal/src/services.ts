// The default services of the page. Pseudonymisation (docs/portal.md "Pseudonymisation",
// docs/protocol.md §9.7): the page reads ./config.json (the pseudonym service's URL and the
// active OPRF epochs with their public keys), asks the match server for a short-lived
// credential bound to the session key, and has the pseudonym service evaluate the blinded
// BSN, signing with the same session key; the SDK's OprfPseudonymiser verifies the proof
// against the epoch's public key. The browser holds no covenant key; without a configured
// pseudonym service, placing and looking up refuse (`pseudonym_service_unavailable`).

import {
  cachedCredential,
  createPseudonymServiceClient,
  OprfPseudonymiser,
  type PseudonymCredential,
  type Pseudonymiser,
} from '@sluis/client-sdk';
import type { PortalServices } from './app-context.js';
import { ApiError, signedJson } from './api/http.js';
import type { Session } from './api/session.js';

interface PortalConfig {
  readonly pseudonymService: string | null;
  readonly oprfEpochs: readonly { readonly epoch: number; readonly publicKey: string }[];
}

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

export function defaultServices(): PortalServices {
  let config: Promise<PortalConfig> | undefined;
  const perSession = new WeakMap<Session, readonly Pseudonymiser[]>();
  return {
    pseudonymisers: async (session) => {
      const known = perSession.get(session);
      if (known !== undefined) return known;
      config ??= loadConfig().catch((e: unknown) => {
        config = undefined;
        throw e;
      });
      const c = await config;
      if (c.pseudonymService === null || c.oprfEpochs.length === 0)
        throw new ApiError(0, 'pseudonym_service_unavailable');
      const issue = async () =>
        (await signedJson(session.signer, {
          method: 'POST',
          path: '/v1/pseudonym-credentials',
          body: {},
        })) as PseudonymCredential;
      const service = createPseudonymServiceClient({
        serviceUrl: c.pseudonymService,
        signingKey: session.signer,
        credential: cachedCredential(issue),
      });
      // At most two epochs (a rotation's overlap): the newest ones.
      const list = c.oprfEpochs
        .slice(-2)
        .map((e) => OprfPseudonymiser.create({ epoch: e.epoch, publicKey: e.publicKey, service }));
      perSession.set(session, list);
      return list;
    },
  };
}
