// The page's client of the pseudonym service (docs/portal.md "Signing in": a clock that is off): the SDK's
// signed client, its requests signed with this browser's clock. The service refuses a
// signature more than 300 seconds from its own clock (`401 timestamp_out_of_window`,
// docs/protocol.md §9.6, §5.4 check 4); the evaluation is then signed again, once, with the time of that
// answer's `Date` header — a fresh nonce, so never a replay, and the window stays the
// service's — as ./http.ts does for the match server. The difference is the service's own (its
// clock need not be the match server's) and kept for the page's life, in memory only. Still
// refused, or without a usable `Date`, the refusal reaches the screen as it came.

import {
  createPseudonymServiceClient,
  type Evaluation,
  isSluisError,
  type PseudonymService,
  type PseudonymServiceOptions,
} from '@sluis/client-sdk';

/** The pseudonym service's clock minus this browser's (ms); 0 until a refusal told it. */
let offsetMs = 0;

/**
 * The SDK's client of the (pinned) pseudonym service, signing on the service's time as last learnt.
 * Each evaluation keeps its own refusal's `Date`: the SDK evaluates every pinned epoch at once
 * (two during a rotation, docs/portal.md "Pins"), and each refused one is signed again on its own.
 */
export function clockedPseudonymService(
  options: Omit<PseudonymServiceOptions, 'clock' | 'fetch'>,
): PseudonymService {
  return {
    async evaluate(epoch: number, blinded: readonly Uint8Array[]): Promise<Evaluation> {
      /** The `Date` of this evaluation's answer that refused a signature (401). */
      let refusedAt = Number.NaN;
      const client = createPseudonymServiceClient({
        ...options,
        clock: () => Date.now() + offsetMs,
        fetch: async (input, init) => {
          const res = await globalThis.fetch(input, init);
          // Readable across origins because the service exposes it (Access-Control-Expose-Headers).
          if (res.status === 401) refusedAt = Date.parse(res.headers.get('date') ?? '');
          return res;
        },
      });
      try {
        return await client.evaluate(epoch, blinded);
      } catch (e) {
        if (
          !(isSluisError(e) && e.details.problemCode === 'timestamp_out_of_window') ||
          !Number.isFinite(refusedAt)
        )
          throw e;
        offsetMs = refusedAt - Date.now();
        return client.evaluate(epoch, blinded);
      }
    },
  };
}
