// The identifier scheme `surname-birthdate-gender` (docs/protocol.md §2.2): for a person
// without a BSN, the substitute the Besluit Jeugdwet (art. 7.3.1) allows — surname, date of
// birth and gender — canonicalised so that the usual ways of writing one name give one
// text: case, diacritics, ligatures, prefixes ("van der", "de", "'t") and the separators
// between name parts (spaces, hyphens, apostrophes, full stops, commas) do not matter. Such an
// identifier has far less entropy than a BSN (docs/threat-model.md §5.9), so it is only
// ever pseudonymised under an OPRF epoch: the HMAC pseudonymiser refuses it.

import type { IdentifierErrorCode } from './identifier.js';

export const SUBSTITUTE_SCHEME = 'surname-birthdate-gender';

export interface SubstituteIdentifierInput {
  /** The surname (geslachtsnaam) as written, prefixes and diacritics included. */
  readonly surname: string;
  /** 'YYYY-MM-DD', a full date (1900-01-01 … 2099-12-31). */
  readonly dateOfBirth: string;
  /** The BRP gender code: 'M' (man), 'V' (vrouw) or 'O' (onbekend). */
  readonly gender: string;
}

/**
 * Name prefixes (voorvoegsels) dropped as whole words (docs/protocol.md §2.2), after
 * folding to a–z. Dutch ones from the BRP's table of voorvoegsels, and the common foreign ones.
 */
export const SURNAME_PREFIXES: readonly string[] = [
  'aan',
  'al',
  'am',
  'auf',
  'bij',
  'd',
  'da',
  'das',
  'de',
  'del',
  'della',
  'den',
  'der',
  'des',
  'di',
  'do',
  'dos',
  'du',
  'el',
  'het',
  'im',
  'in',
  'l',
  'la',
  'le',
  'les',
  'op',
  'over',
  's',
  't',
  'te',
  'ten',
  'ter',
  'tot',
  'uit',
  'uijt',
  'v',
  'van',
  'vd',
  'vom',
  'von',
  'voor',
  'y',
  'zu',
  'zum',
  'zur',
];

/** Letters that no Unicode decomposition maps to a–z (docs/protocol.md §2.2, step 2). */
const FOLD: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
  ħ: 'h',
  Ħ: 'h',
  ŋ: 'n',
  Ŋ: 'n',
};

const SEPARATORS = /[\s\-\u2010\u2011\u2012\u2013\u2014'\u2018\u2019\u02bc`.,]+/u;
const MAX_SURNAME_CHARS = 200;

/** The canonical surname, or undefined when it is empty or holds anything but letters and separators. */
export function canonicalSurname(surname: string): string | undefined {
  if (surname.length === 0 || surname.length > MAX_SURNAME_CHARS) return undefined;
  // 1. NFKD, 2. drop combining marks, 3. fold the letters listed, 4. lower case.
  let s = surname.normalize('NFKD').replace(/\p{M}/gu, '');
  s = [...s]
    .map((c) => FOLD[c] ?? c)
    .join('')
    .toLowerCase();
  // 5. split into words at separators; 6. only a–z may remain.
  const words = s.split(SEPARATORS).filter((w) => w !== '');
  if (words.length === 0 || !words.every((w) => /^[a-z]+$/.test(w))) return undefined;
  // 7. drop prefix words, unless nothing would remain; 8. join without separator.
  const kept = words.filter((w) => !SURNAME_PREFIXES.includes(w));
  return (kept.length > 0 ? kept : words).join('');
}

function validDate(text: string): boolean {
  const m = /^(19[0-9]{2}|20[0-9]{2})-([0-9]{2})-([0-9]{2})$/.exec(text);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

export type SubstituteCheck =
  | { readonly ok: true; readonly canonical: string }
  | { readonly ok: false; readonly code: IdentifierErrorCode };

/**
 * Checks in this order (docs/protocol.md §2.2): an object with exactly `surname`,
 * `dateOfBirth` and `gender`, all strings (`substitute_input_invalid`); the surname
 * (`substitute_surname_invalid`); the date (`substitute_date_invalid`); the gender
 * (`substitute_gender_invalid`). Canonical text: `<surname>|<YYYY-MM-DD>|<m|v|o>`.
 */
export function checkSubstituteText(raw: unknown): SubstituteCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, code: 'substitute_input_invalid' };
  const o = raw as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(',');
  if (
    keys !== 'dateOfBirth,gender,surname' ||
    typeof o.surname !== 'string' ||
    typeof o.dateOfBirth !== 'string' ||
    typeof o.gender !== 'string'
  )
    return { ok: false, code: 'substitute_input_invalid' };
  const surname = canonicalSurname(o.surname);
  if (surname === undefined) return { ok: false, code: 'substitute_surname_invalid' };
  if (!validDate(o.dateOfBirth)) return { ok: false, code: 'substitute_date_invalid' };
  if (o.gender !== 'M' && o.gender !== 'V' && o.gender !== 'O')
    return { ok: false, code: 'substitute_gender_invalid' };
  return { ok: true, canonical: `${surname}|${o.dateOfBirth}|${o.gender.toLowerCase()}` };
}
