// Display helpers: a pseudonym is shown shortened (its epoch and first 8 characters), enough
// to compare with a colleague, never the whole value (docs/portal.md "Placing a signal").

export function shortPseudonym(epoch: number, value: string): string {
  return `${epoch}:${value.slice(0, 8)}…`;
}

export function formatDateTime(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDay(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium' });
}
