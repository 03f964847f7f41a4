// A date or a moment in the page's language, with the machine value kept in <time dateTime>
// (docs/portal.md "Dates and times"): the reader sees "4 dec 2026", software and assistive
// technology that want it read `2026-12-04`.

import { useI18n } from '../i18n/i18n.js';
import { formatDateTime, formatDay } from './format.js';

/** A calendar day (or the day a term ends): the date only. */
export function Day({ value }: { readonly value: string }) {
  const { lang } = useI18n();
  return <time dateTime={value}>{formatDay(value, lang)}</time>;
}

/** When something happened: the date and the time of day. */
export function Moment({ value }: { readonly value: string }) {
  const { lang } = useI18n();
  return <time dateTime={value}>{formatDateTime(value, lang)}</time>;
}
