// The `Prefer` request header (RFC 7240) as far as the batch routes honour it: `return=minimal`
// (§4.2) asks for each item's result without the signal's full view (docs/api.md "POST
// /v1/signals/batch"). The grammar (§2): a comma-separated list of preferences, each a token
// with an optional `=` value (a token or a quoted string) and `;` parameters; tokens are
// case-insensitive, a preference named twice counts the first time only, and anything not
// understood is ignored — never a refusal. The header changes only the answer's form, never
// what the request does (docs/protocol.md §5.5: it is not signed).

/** The answer header naming the preference a server applied (RFC 7240 §3). */
export const PREFERENCE_APPLIED_HEADER = 'Preference-Applied';
export const RETURN_MINIMAL = 'return=minimal';

/** Splits `text` at `separator` outside quoted strings (RFC 9110 §5.6.4: `\` escapes inside them). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '\\') i++;
    else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === separator) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/** A `word` (RFC 7240 §2): a token as is, a quoted string unquoted and unescaped. */
function wordValue(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

/**
 * The `return` preference of a `Prefer` header value (several headers arrive joined with
 * commas): `minimal`, `representation`, or undefined when the header names none. Values are
 * compared case-insensitively (RFC 5234 §2.3: the literals of §4.2's ABNF are).
 */
export function returnPreference(header: string | undefined): 'minimal' | 'representation' | undefined {
  if (header === undefined) return undefined;
  for (const preference of splitOutsideQuotes(header, ',')) {
    const [head = ''] = splitOutsideQuotes(preference, ';');
    const eq = head.indexOf('=');
    const name = (eq < 0 ? head : head.slice(0, eq)).trim().toLowerCase();
    if (name !== 'return') continue;
    // The first `return` decides (§2), also when its value is one this server does not know.
    const value = eq < 0 ? '' : wordValue(head.slice(eq + 1)).toLowerCase();
    return value === 'minimal' || value === 'representation' ? value : undefined;
  }
  return undefined;
}
