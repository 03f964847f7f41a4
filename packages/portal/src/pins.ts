// The pins this build was made with (docs/portal.md "Pins", build/pins.ts): the pseudonym
// service's URL and the OPRF epochs' public keys from the key ceremony. The match server's
// config.json only chooses among them: a URL or an epoch (or a key) it offers that is not
// pinned is refused, so neither the match server nor anyone who can register an epoch there
// can have the page pseudonymise under a key they hold (docs/protocol.md §9.7: a client
// pins the key, never one taken from an answer; threat-model.md §5.9).

import { ApiError } from './api/http.js';

export interface PortalPins {
  readonly pseudonymService: string;
  readonly oprfEpochs: readonly { readonly epoch: number; readonly publicKey: string }[];
}

/** What the match server's ./config.json says: the service it points at and the active OPRF epochs. */
export interface PortalConfig {
  readonly pseudonymService: string | null;
  readonly oprfEpochs: readonly { readonly epoch: number; readonly publicKey: string }[];
}

declare const __SLUIS_PORTAL_PINS__: PortalPins | null | undefined;

/** Written by the build (vite.config.ts `define`); null for a build without SLUIS_PORTAL_PINS. */
export const BUILT_PINS: PortalPins | null =
  typeof __SLUIS_PORTAL_PINS__ === 'undefined' ? null : __SLUIS_PORTAL_PINS__;

function sameUrl(a: string, b: string): boolean {
  try {
    const strip = (u: string) => new URL(u).href.replace(/\/+$/, '');
    return strip(a) === strip(b);
  } catch {
    return false;
  }
}

/**
 * The service URL and the epochs to use: those config.json names, each of which must be
 * pinned with the same public key; at most the newest two (a rotation's overlap). Refusals
 * carry a code only: `portal_not_pinned` (the build has no pins),
 * `pseudonym_service_unavailable` (the match server names no service or no epoch),
 * `pseudonym_service_not_pinned`, `oprf_epoch_not_pinned`.
 */
export function choosePinned(
  config: PortalConfig,
  pins: PortalPins | null,
): { readonly serviceUrl: string; readonly epochs: readonly { epoch: number; publicKey: string }[] } {
  if (pins === null) throw new ApiError(0, 'portal_not_pinned');
  if (
    typeof config !== 'object' ||
    config === null ||
    config.pseudonymService === null ||
    !Array.isArray(config.oprfEpochs) ||
    config.oprfEpochs.length === 0
  )
    throw new ApiError(0, 'pseudonym_service_unavailable');
  if (typeof config.pseudonymService !== 'string' || !sameUrl(config.pseudonymService, pins.pseudonymService))
    throw new ApiError(0, 'pseudonym_service_not_pinned');
  const epochs = config.oprfEpochs.map((offered) => {
    const pin = pins.oprfEpochs.find((p) => p.epoch === offered?.epoch);
    // The key used is always the pinned one; an offered key that differs is refused, not replaced.
    if (pin === undefined || pin.publicKey !== offered.publicKey)
      throw new ApiError(0, 'oprf_epoch_not_pinned');
    return { epoch: pin.epoch, publicKey: pin.publicKey };
  });
  epochs.sort((a, b) => a.epoch - b.epoch);
  return { serviceUrl: pins.pseudonymService, epochs: epochs.slice(-2) };
}
