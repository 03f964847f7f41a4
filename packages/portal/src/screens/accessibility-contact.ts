// Where to report an accessibility problem (docs/portal.md "Accessibility statement"): the
// address the operator set for the hosting municipality (`--portal-accessibility-contact`),
// read from ./config.json. Only a mailto:, tel: or https: value becomes a link — config.json
// is not trusted to put another scheme (javascript:) in the page — and an address the
// operator did not set is said to be missing, never replaced by one of ours.

export interface ContactLink {
  readonly kind: 'email' | 'phone' | 'web';
  readonly href: string;
  /** What the link says: the address, the number or the page's URL, without the scheme. */
  readonly text: string;
}

export type AccessibilityContact =
  | { readonly state: 'set'; readonly link: ContactLink }
  | { readonly state: 'none' }
  | { readonly state: 'unreadable' };

const EMAIL = /^[^\s@?#&/:<>"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
// RFC 3966 global or local number with visual separators only, as the server accepts it.
const PHONE = /^\+?[0-9][0-9().-]{2,30}$/;

/** The link for config.json's `accessibilityContact`: null or absent is none set; anything else unusable is unreadable. */
export function accessibilityContact(value: unknown): AccessibilityContact {
  if (value === null || value === undefined) return { state: 'none' };
  if (typeof value !== 'string' || value.length > 500) return { state: 'unreadable' };
  if (value.startsWith('mailto:')) {
    const address = value.slice('mailto:'.length);
    return EMAIL.test(address)
      ? { state: 'set', link: { kind: 'email', href: value, text: address } }
      : { state: 'unreadable' };
  }
  if (value.startsWith('tel:')) {
    const number = value.slice('tel:'.length);
    return PHONE.test(number)
      ? { state: 'set', link: { kind: 'phone', href: value, text: number } }
      : { state: 'unreadable' };
  }
  // The server's rule (isContactUri in packages/server/src/cli/config-validation.ts; both
  // tests share one table). The text is the parsed address: an IDN host shows as punycode.
  if (!value.startsWith('https://')) return { state: 'unreadable' };
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' || url.username !== '' || url.password !== '')
      return { state: 'unreadable' };
    return { state: 'set', link: { kind: 'web', href: url.href, text: url.href.slice('https://'.length) } };
  } catch {
    return { state: 'unreadable' };
  }
}

/** Reads ./config.json afresh; a page that cannot read it says so rather than guessing. */
export async function readAccessibilityContact(): Promise<AccessibilityContact> {
  try {
    const res = await fetch('./config.json', { credentials: 'omit', cache: 'no-store' });
    if (!res.ok) return { state: 'unreadable' };
    const config = (await res.json()) as unknown;
    if (typeof config !== 'object' || config === null) return { state: 'unreadable' };
    return accessibilityContact((config as { accessibilityContact?: unknown }).accessibilityContact);
  } catch {
    return { state: 'unreadable' };
  }
}
