// The strict decoders (docs/protocol.md §1) and what a refusal leaves in memory: a refused text
// may be a key file's or a stored seed's, so the bytes decoded before the refusal are zeroed
// (docs/operations.md, "Keys in memory" of the pseudonym service).

import { afterEach, describe, expect, it } from 'vitest';
import { base64, base64url } from './encoding.js';

const Native = globalThis.Uint8Array;
let made: Uint8Array[] = [];

afterEach(() => {
  globalThis.Uint8Array = Native;
  made = [];
});

/** Records every Uint8Array the decoder allocates while `run` runs. */
function recording<T>(run: () => T): T {
  globalThis.Uint8Array = class extends Native {
    constructor(...args: ConstructorParameters<typeof Native>) {
      super(...args);
      made.push(this);
    }
  } as typeof Uint8Array;
  try {
    return run();
  } finally {
    globalThis.Uint8Array = Native;
  }
}

describe('base64url and base64 refusals zero what they had decoded', () => {
  it.each([
    ['a character outside the alphabet after decoded bytes', () => base64url.decode('___$')],
    ['unused low bits set in the last character', () => base64url.decode('__B')],
    ['padded base64 with a character outside the alphabet', () => base64.decode('////$A==')],
  ])('%s', (_name, decode) => {
    expect(recording(decode)).toBeUndefined();
    expect(made.length).toBeGreaterThan(0);
    // Before the refusal the buffer held 0xff bytes ('_' and '/' are 63: all bits set).
    for (const b of made) expect([...b].every((x) => x === 0)).toBe(true);
  });

  it('a canonical text decodes to its bytes, left as they are', () => {
    const bytes = recording(() => base64url.decode('____'));
    expect(bytes && [...bytes]).toEqual([0xff, 0xff, 0xff]);
    expect(base64.decode('////')).toEqual(new Uint8Array([0xff, 0xff, 0xff]));
  });
});
