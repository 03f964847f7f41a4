// The input rules of every text field of the API (docs/api.md "Text fields"), defined
// once: the engine validates with them, the server's zod schemas are built from them,
// and the SDK is held to the same shared vectors (test/vectors/inputs.json). Invariant
// (docs/threat-model.md §6, LINDDUN "Identifying"): no text field accepts a number that is a valid BSN, nor an
// invisible, bidi or control character. A refusal names the field, never the value.

/** Why a value fails a rule: its shape (type, length, pattern), or forbidden content. */
export type InputFault = 'validation_failed' | 'text_forbidden';

// Control (Cc), format (Cf: bidi controls U+202A–202E, U+2066–2069, U+200E/F, U+061C,
// zero-width U+200B–200D, U+2060, U+FEFF, soft hyphen …), lone surrogate (Cs), private use
// (Co), line and paragraph separators, noncharacters, and every other default-ignorable
// (invisible) code point such as variation selectors and Hangul fillers.
const INVISIBLE_RE =
  /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/u;
const PRINTABLE_ASCII_RE = /^[\x20-\x7e]*$/;
const DIGIT_RE = /^\p{Nd}$/u;
const ANY_DIGIT_RE = /\p{Nd}/u;
/** Characters that may stand between the digit groups of one written number. */
const SEPARATOR_RE = /^[\p{Zs}\p{Pd}.,/_]$/u;
/** At most this many separator characters between two groups of one number ("999 - 900 - 006"). */
const MAX_GAP = 3;

/**
 * The value of a decimal digit of any script: Unicode encodes every Nd digit in runs of
 * 0–9 with ascending values (a stability guarantee), so the value is the number of Nd
 * code points directly before it, modulo 10.
 */
function digitValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  let n = 0;
  while (DIGIT_RE.test(String.fromCodePoint(cp - n - 1))) n++;
  return n % 10;
}

/** The eleven test (elfproef) on 8 or 9 digits; an 8-digit number gets a leading 0. */
function isBsnDigits(digits: readonly number[]): boolean {
  if (digits.length !== 8 && digits.length !== 9) return false;
  const d = digits.length === 8 ? [0, ...digits] : digits;
  if (d.every((x) => x === 0)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * d[i]!;
  return (sum - d[8]!) % 11 === 0;
}

/**
 * True when the text holds a number that is a valid BSN. A number is a run of one or more
 * digit groups (decimal digits of any script) where consecutive groups are separated by
 * 1–3 spaces, dashes, dots, commas, slashes or underscores; every run of consecutive whole
 * groups with 8 or 9 digits in all is tested. So "999900006", "999 900 006",
 * "9999.00.006" and "BSN:999900006" are found; "1999900006" (one group of ten digits) is
 * not a BSN and is not.
 */
export function containsBsn(text: string): boolean {
  if (!ANY_DIGIT_RE.test(text)) return false;
  // Chains of groups: each group is a list of digit values.
  let chain: number[][] = [];
  let gap = -1; // separators since the last digit; -1: no group open
  const check = (): boolean => {
    for (let i = 0; i < chain.length; i++) {
      const digits: number[] = [];
      for (let j = i; j < chain.length && digits.length < 9; j++) {
        digits.push(...chain[j]!);
        if (isBsnDigits(digits)) return true;
      }
    }
    return false;
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0x30 && cp <= 0x39) || (cp > 0x7f && DIGIT_RE.test(ch))) {
      if (gap === 0) chain[chain.length - 1]!.push(digitValue(cp));
      else chain.push([digitValue(cp)]);
      gap = 0;
    } else if (gap >= 0 && gap < MAX_GAP && SEPARATOR_RE.test(ch)) {
      gap++;
    } else {
      if (check()) return true;
      chain = [];
      gap = -1;
    }
  }
  return check();
}

/** True when the text holds a control, format, invisible or bidi character. */
export function hasInvisible(text: string): boolean {
  return !PRINTABLE_ASCII_RE.test(text) && INVISIBLE_RE.test(text);
}

/** A text field: its length in UTF-16 units, its pattern, and what content it forbids. */
export interface TextRule {
  readonly min: number;
  readonly max: number;
  /** A pattern the whole value must match (also published in the OpenAPI document). */
  readonly pattern?: RegExp;
  /** Forbidden content besides invisible characters (always forbidden): a BSN, by default. */
  readonly forbids: (value: string) => boolean;
}

/** Free text: 1–max characters; no BSN anywhere in it (containsBsn). */
const freeText = (max: number): TextRule => ({ min: 1, max, forbids: containsBsn });

/** Digits of a value, in order, ignoring everything else. */
const digitsOf = (v: string): number[] =>
  [...v].filter((c) => DIGIT_RE.test(c)).map((c) => digitValue(c.codePointAt(0)!));

/** Every text field of the API, by the name docs/api.md "Text fields" gives it. */
export const INPUT_RULES = {
  contactName: freeText(100),
  contactRole: freeText(100),
  organisationName: freeText(200),
  /**
   * Digits, spaces, + - ( ) with at least one digit. Its digits taken together must not be
   * a BSN; digit groups inside are not tested (a 10-digit Dutch number is never refused).
   */
  contactPhone: {
    min: 6,
    max: 20,
    pattern: /^(?=.*[0-9])[0-9 +\-()]{6,20}$/,
    forbids: (v: string) => isBsnDigits(digitsOf(v)),
  },
  /** One @, a local part of 1–64 and a domain of non-empty dot-separated labels, no white space. */
  contactEmail: {
    min: 3,
    max: 254,
    pattern: /^[^\s@]{1,64}@[^\s@.]{1,63}(?:\.[^\s@.]{1,63})*$/,
    forbids: containsBsn,
  },
  /** Opaque and space-free; eight or more digits in a row could be a BSN and are refused too. */
  formReference: {
    min: 1,
    max: 64,
    pattern: /^[A-Za-z0-9._/-]{1,64}$/,
    forbids: (v: string) => containsBsn(v) || /[0-9]{8,}/.test(v),
  },
} as const satisfies Record<string, TextRule>;

// Frozen: validation.ts remembers what each rule object accepted, so a rule must not change.
for (const rule of Object.values(INPUT_RULES)) Object.freeze(rule);
Object.freeze(INPUT_RULES);

export type InputRuleName = keyof typeof INPUT_RULES;

/**
 * Checks a value against a rule, in this order: type and length (`validation_failed`),
 * forbidden content (`text_forbidden`), white space at either end and the pattern
 * (`validation_failed`).
 */
export function textFault(rule: TextRule, value: unknown): InputFault | undefined {
  if (typeof value !== 'string' || value.length < rule.min || value.length > rule.max) {
    return 'validation_failed';
  }
  if (hasInvisible(value) || rule.forbids(value)) return 'text_forbidden';
  if (value.trim() !== value) return 'validation_failed';
  if (rule.pattern !== undefined && !rule.pattern.test(value)) return 'validation_failed';
  return undefined;
}

/** The code of a refusal whose fields failed with these faults: text_forbidden only if all did. */
export function faultCode(faults: Iterable<InputFault>): InputFault {
  for (const f of faults) if (f !== 'text_forbidden') return 'validation_failed';
  return 'text_forbidden';
}
