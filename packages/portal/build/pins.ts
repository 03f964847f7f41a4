// Reads the portal's pins at build time (docs/portal.md "Pins"): the pseudonym service's URL
// and the OPRF epochs' public keys from the key ceremony, from the JSON file named by
// SLUIS_PORTAL_PINS. The build writes them into the page's script, whose hash index.html
// carries (build/sri.ts), so a match server — its epoch registry, an administrator session,
// its config.json — can only choose among these epochs and never hand the page a key of its
// own (docs/protocol.md §9.7, threat-model.md §5.9). Without the variable the portal is built
// unpinned and refuses to pseudonymise (`portal_not_pinned`).

import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';

export interface PortalPinsFile {
  readonly pseudonymService: string;
  readonly oprfEpochs: readonly { readonly epoch: number; readonly publicKey: string }[];
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Checks a pins file's content; throws with what is wrong (the values are public, but none is echoed). */
export function parsePins(text: string): PortalPinsFile {
  const fail = (what: string): never => {
    throw new Error(`SLUIS_PORTAL_PINS: ${what} (docs/portal.md "Pins")`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('the file is not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('expected an object');
  const { pseudonymService, oprfEpochs, ...rest } = raw as Record<string, unknown>;
  if (Object.keys(rest).length > 0) fail('unknown field');
  if (typeof pseudonymService !== 'string') return fail('pseudonymService must be a URL');
  let url: URL;
  try {
    url = new URL(pseudonymService);
  } catch {
    return fail('pseudonymService must be a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('pseudonymService must be an http(s) URL');
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    fail('pseudonymService must have no query, fragment or credentials');
  if (!Array.isArray(oprfEpochs) || oprfEpochs.length === 0) return fail('oprfEpochs must list an epoch');
  const seen = new Set<number>();
  const epochs = oprfEpochs.map((e: unknown) => {
    if (typeof e !== 'object' || e === null) return fail('an epoch must be an object');
    const { epoch, publicKey, ...more } = e as Record<string, unknown>;
    if (Object.keys(more).length > 0) fail('unknown field in an epoch');
    if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 1)
      return fail('epoch must be a positive integer');
    if (seen.has(epoch)) fail(`epoch ${epoch} is pinned twice`);
    seen.add(epoch);
    // A ristretto255 element: 32 bytes, 43 base64url characters without padding (protocol.md §9).
    if (typeof publicKey !== 'string' || publicKey.length !== 43 || !BASE64URL.test(publicKey))
      return fail(`epoch ${epoch}: publicKey must be 32 bytes in base64url`);
    return { epoch, publicKey };
  });
  return { pseudonymService, oprfEpochs: epochs };
}

/** The pins in the file SLUIS_PORTAL_PINS names (an absolute path), or null when it is unset or empty. */
export function readPins(env: NodeJS.ProcessEnv = process.env): PortalPinsFile | null {
  const file = env.SLUIS_PORTAL_PINS;
  if (file === undefined || file === '') return null;
  // `pnpm build` runs Vite in packages/portal: a relative path would silently mean another file.
  if (!isAbsolute(file)) throw new Error('SLUIS_PORTAL_PINS: give the pins file as an absolute path');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error('SLUIS_PORTAL_PINS: the file cannot be read');
  }
  return parsePins(text);
}
