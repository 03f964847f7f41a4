// The `Date` header of every answer (RFC 9110 §6.6.1: IMF-fixdate, whole seconds), from the
// server's clock. The text changes once a second, so it is made once a second rather than
// once per answer (docs/performance.md "Seventh pass").

let second = Number.NaN;
let text = '';

/** IMF-fixdate of `ms` (milliseconds since the epoch), as `new Date(ms).toUTCString()`. */
export function httpDate(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s !== second) {
    text = new Date(ms).toUTCString();
    second = s;
  }
  return text;
}
