// Hash routes (`#/signals/new`): any static web server can serve the portal without
// rewrites, and the server never sees which screen is open. A hash that does not start
// with `/` is an in-page anchor (the skip link, an error summary's links), not a route. On every change the main
// region takes focus so a screen reader announces the new screen's heading.

import { useEffect, useState } from 'preact/hooks';

/** The route in the hash; an in-page anchor (`#main`, `#place-bsn`) is not a route. */
export function currentPath(): string | undefined {
  const h = globalThis.location.hash.replace(/^#/, '');
  if (h === '') return '/';
  return h.startsWith('/') ? h : undefined;
}

export function useRoute(): string {
  const [path, setPath] = useState(currentPath() ?? '/');
  useEffect(() => {
    const onChange = () => {
      const next = currentPath();
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

export function navigate(path: string): void {
  globalThis.location.hash = `#${path}`;
}

export function href(path: string): string {
  return `#${path}`;
}
