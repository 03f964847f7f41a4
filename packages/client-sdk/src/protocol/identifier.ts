// Identifier canonicalisation (docs/protocol.md §2). The raw identifier exists only in
// the SDK; a CanonicalIdentifier never shows its value through JSON, toString or
// Node's inspect, so it cannot slip into a log by accident.

import { SluisError, type SluisErrorCode } from '../errors.js';
import { SUBSTITUTE_SCHEME, checkSubstituteText } from './substitute-identifier.js';

/**
 * Identifier schemes (docs/protocol.md §2): `bsn`, and for people without one the substitute
 * of §2.2 (OPRF epochs only). The scheme name is MAC input, so adding one never changes BSN
 * pseudonyms.
 */
export type IdentifierScheme = 'bsn' | typeof SUBSTITUTE_SCHEME;
export const IDENTIFIER_SCHEMES: readonly IdentifierScheme[] = ['bsn', SUBSTITUTE_SCHEME];

export type IdentifierErrorCode = Extract<
  SluisErrorCode,
  | 'identifier_unknown_scheme'
  | 'identifier_not_a_string'
  | 'bsn_non_digit'
  | 'bsn_wrong_length'
  | 'bsn_all_zeros'
  | 'bsn_checksum'
  | 'substitute_input_invalid'
  | 'substitute_surname_invalid'
  | 'substitute_date_invalid'
  | 'substitute_gender_invalid'
>;

const REDACTED = '[identifier]';

export class CanonicalIdentifier {
  readonly scheme: IdentifierScheme;
  readonly #canonical: string;

  constructor(scheme: IdentifierScheme, canonical: string) {
    this.scheme = scheme;
    this.#canonical = canonical;
  }

  /** The canonical text. Handle with care: this is the citizen's identifier. */
  reveal(): string {
    return this.#canonical;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `CanonicalIdentifier(${this.scheme}, ${REDACTED})`;
  }
}

export type IdentifierCheck =
  | { readonly ok: true; readonly identifier: CanonicalIdentifier }
  | { readonly ok: false; readonly code: IdentifierErrorCode };

/**
 * Checks a BSN. Order of checks (each failure has its own code): only ASCII digits
 * (`bsn_non_digit`), 8 or 9 of them (`bsn_wrong_length`), an 8-digit value is
 * left-padded with 0, not all zeros (`bsn_all_zeros`), and the eleven test
 * 9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 (mod 11) (`bsn_checksum`).
 */
export function checkBsn(rawIdentifier: unknown): IdentifierCheck {
  if (typeof rawIdentifier !== 'string') return { ok: false, code: 'identifier_not_a_string' };
  for (let i = 0; i < rawIdentifier.length; i++) {
    const c = rawIdentifier.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return { ok: false, code: 'bsn_non_digit' };
  }
  if (rawIdentifier.length !== 8 && rawIdentifier.length !== 9)
    return { ok: false, code: 'bsn_wrong_length' };
  const canonical = rawIdentifier.length === 8 ? `0${rawIdentifier}` : rawIdentifier;
  if (canonical === '000000000') return { ok: false, code: 'bsn_all_zeros' };
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * (canonical.charCodeAt(i) - 0x30);
  sum -= canonical.charCodeAt(8) - 0x30;
  if (((sum % 11) + 11) % 11 !== 0) return { ok: false, code: 'bsn_checksum' };
  return { ok: true, identifier: new CanonicalIdentifier('bsn', canonical) };
}

/**
 * Checks a substitute identifier {surname, dateOfBirth, gender} (docs/protocol.md §2.2).
 * Only an OPRF epoch pseudonymises it; PseudonymKey (HMAC) refuses it.
 */
export function checkSubstitute(rawIdentifier: unknown): IdentifierCheck {
  const r = checkSubstituteText(rawIdentifier);
  return r.ok ? { ok: true, identifier: new CanonicalIdentifier(SUBSTITUTE_SCHEME, r.canonical) } : r;
}

export function checkIdentifier(scheme: string, rawIdentifier: unknown): IdentifierCheck {
  if (scheme === 'bsn') return checkBsn(rawIdentifier);
  if (scheme === SUBSTITUTE_SCHEME) return checkSubstitute(rawIdentifier);
  return { ok: false, code: 'identifier_unknown_scheme' };
}

/** Like checkIdentifier, but throws a SluisError carrying only the code. */
export function canonicaliseIdentifier(scheme: string, rawIdentifier: unknown): CanonicalIdentifier {
  const r = checkIdentifier(scheme, rawIdentifier);
  if (!r.ok) throw new SluisError(r.code);
  return r.identifier;
}

export function isValidBsn(rawIdentifier: unknown): boolean {
  return checkBsn(rawIdentifier).ok;
}
