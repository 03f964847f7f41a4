// The text-field rules of the API (docs/api.md "Text fields"), checked in the SDK before
// anything is sent. The server's rules live in the engine, which the SDK must not depend
// on; both are held to the same shared vectors (test/vectors/inputs.json). Invariant
// (docs/threat-model.md §6, LINDDUN "Identifying"): a contact or form reference holding a number that is a
// valid BSN, or an invisible, bidi or control character, never leaves the process.

/** Why a value fails: shape (`input_invalid`) or forbidden content (`text_forbidden`). */
export type TextFault = 'input_invalid' | 'text_forbidden';

// Cc, Cf (bidi controls, zero-width characters, soft hyphen …), Cs, Co, Zl, Zp,
// noncharacters and every default-ignorable code point (variation selectors, fillers …).
const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/u;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const IS_DIGIT = /^\p{Nd}$/u;
const ANY_DIGIT = /\p{Nd}/u;
const IS_SEPARATOR = /^[\p{Zs}\p{Pd}.,/_]$/u;
const MAX_SEPARATORS = 3;

/** Value of a decimal digit of any script: Nd digits come in runs 0–9 (Unicode stability). */
function digitValue(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  let back = 0;
  while (IS_DIGIT.test(String.fromCodePoint(cp - back - 1))) back++;
  return back % 10;
}

function elfproef(digits: readonly number[]): boolean {
  if (digits.length < 8 || digits.length > 9) return false;
  const d = digits.length === 8 ? [0, ...digits] : [...digits];
  if (!d.some((x) => x !== 0)) return false;
  const weighted = d.slice(0, 8).reduce((sum, x, i) => sum + (9 - i) * x, 0);
  return (weighted - d[8]!) % 11 === 0;
}

/** Splits text into numbers: lists of digit groups joined by 1–3 separator characters. */
function numbersIn(text: string): number[][][] {
  const numbers: number[][][] = [];
  let groups: number[][] = [];
  let separators = 0;
  let inNumber = false;
  const close = () => {
    if (groups.length > 0) numbers.push(groups);
    groups = [];
    inNumber = false;
  };
  for (const ch of text) {
    if ((ch >= '0' && ch <= '9') || (ch > '\x7f' && IS_DIGIT.test(ch))) {
      if (inNumber && separators === 0) groups[groups.length - 1]!.push(digitValue(ch));
      else groups.push([digitValue(ch)]);
      inNumber = true;
      separators = 0;
    } else if (inNumber && separators < MAX_SEPARATORS && IS_SEPARATOR.test(ch)) {
      separators++;
    } else {
      close();
    }
  }
  close();
  return numbers;
}

/** True when some run of whole, consecutive digit groups with 8 or 9 digits passes the elfproef. */
export function textHoldsBsn(text: string): boolean {
  if (!ANY_DIGIT.test(text)) return false;
  for (const groups of numbersIn(text)) {
    for (let from = 0; from < groups.length; from++) {
      let digits: number[] = [];
      for (let to = from; to < groups.length && digits.length < 9; to++) {
        digits = digits.concat(groups[to]!);
        if (elfproef(digits)) return true;
      }
    }
  }
  return false;
}

interface Rule {
  readonly min: number;
  readonly max: number;
  readonly pattern?: RegExp;
  /** Forbidden content besides invisible characters. */
  readonly forbids: (v: string) => boolean;
}

const digitsOf = (v: string) => [...v].filter((c) => IS_DIGIT.test(c)).map(digitValue);

/** The same fields, limits and patterns as the server (docs/api.md "Text fields"). */
export const TEXT_RULES = {
  contactName: { min: 1, max: 100, forbids: textHoldsBsn },
  contactRole: { min: 1, max: 100, forbids: textHoldsBsn },
  // A phone number's digits all together must not be a BSN; its groups are not tested.
  contactPhone: {
    min: 6,
    max: 20,
    pattern: /^(?=.*[0-9])[0-9 +\-()]{6,20}$/,
    forbids: (v: string) => elfproef(digitsOf(v)),
  },
  contactEmail: {
    min: 3,
    max: 254,
    pattern: /^[^\s@]{1,64}@[^\s@.]{1,63}(?:\.[^\s@.]{1,63})*$/,
    forbids: textHoldsBsn,
  },
  formReference: {
    min: 1,
    max: 64,
    pattern: /^[A-Za-z0-9._/-]{1,64}$/,
    forbids: (v: string) => textHoldsBsn(v) || /[0-9]{8,}/.test(v),
  },
} as const satisfies Record<string, Rule>;

/** Type and length, then forbidden content, then white space at either end and the pattern. */
export function textFaultOf(rule: Rule, v: unknown): TextFault | undefined {
  if (typeof v !== 'string' || v.length < rule.min || v.length > rule.max) return 'input_invalid';
  if ((!PRINTABLE_ASCII.test(v) && INVISIBLE.test(v)) || rule.forbids(v)) return 'text_forbidden';
  if (v.trim() !== v || (rule.pattern !== undefined && !rule.pattern.test(v))) return 'input_invalid';
  return undefined;
}
