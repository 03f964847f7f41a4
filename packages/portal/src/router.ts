// Hash routes (`#/signals/new`): any static web server can serve the portal without
// rewrites, and the server never sees which screen is open. A hash that does not start
// with `/` is an in-page anchor (the skip link, an error summary's links), not a route. On every change the main
// region takes focus so a screen reader announces the new screen's heading.

import { useEffect, useState } from 'preact/hooks';

/** The route in the hash; an in-page anchor (`#main`, `#place-bsn`) is not a route. */
export function currentPath(): string | undefined {
  return pathOf(globalThis.location.hash);
}

function pathOf(hash: string): string | undefined {
  const h = hash.replace(/^#/, '');
  if (h === '') return '/';
  return h.startsWith('/') ? h : undefined;
}

export function useRoute(): string {
  const [path, setPath] = useState(currentPath() ?? '/');
  useEffect(() => {
    // Each change is read from its own event, not from the address as it is by then: when the
    // hash changes twice before the first event is handled (a quick Back and Forward, another
    // screen and back), both events would read the last hash, the route would never leave the
    // screen, and the screen would keep what it read before instead of being opened anew.
    const onChange = (e?: HashChangeEvent) => {
      const next = e === undefined ? currentPath() : pathOf(new URL(e.newURL).hash);
      if (next !== undefined) setPath(next);
    };
    globalThis.addEventListener('hashchange', onChange);
    // The hash may have changed between the first render and this effect, which runs
    // after paint; its hashchange event then fired before anyone listened. Read it again.
    onChange();
    return () => globalThis.removeEventListener('hashchange', onChange);
  }, []);
  return path;
}

let keepFocusOnce = false;

/**
 * Goes to `path` (a history entry, so Back returns). `keepFocus`: the screen moves the focus
 * itself (the place-signal preview's heading), so the main region does not take it this time.
 */
export function navigate(path: string, options: { keepFocus?: boolean } = {}): void {
  keepFocusOnce = options.keepFocus === true;
  globalThis.location.hash = `#${path}`;
}

/** The browser's Back, from the page's own button; `keepFocus` as for `navigate`. */
export function back(options: { keepFocus?: boolean } = {}): void {
  keepFocusOnce = options.keepFocus === true;
  globalThis.history.back();
}

/** Whether the last navigation asked to keep the focus where the screen puts it (read once). */
export function takeKeepFocus(): boolean {
  const keep = keepFocusOnce;
  keepFocusOnce = false;
  return keep;
}

export function href(path: string): string {
  return `#${path}`;
}
