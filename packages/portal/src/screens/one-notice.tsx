// One action's result on screen at a time across the sections of a screen (docs/portal.md
// "Signing in": an invitation code "is gone when the next action starts"). The Municipality screen
// has three sections that each show their own results — its people, the organisations, one
// organisation's people — so a code shown in one would otherwise stay beside the next action's
// result in another, and a second code beside the first. A section's notice is shown only while
// that section made the latest one; `useClearNotices` clears every section's (opening another
// organisation's people is an action too).

import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useRef, useState } from 'preact/hooks';

interface Owner {
  readonly owner: object | null;
  readonly claim: (who: object | null) => void;
}
const OwnerContext = createContext<Owner | null>(null);

/** The sections inside share one notice: a new one in any of them ends all the others. */
export function OneNotice({ children }: { children: ComponentChildren }) {
  const [owner, claim] = useState<object | null>(null);
  return <OwnerContext.Provider value={{ owner, claim }}>{children}</OwnerContext.Provider>;
}

/**
 * A section's notice, as `useState`; outside `OneNotice` it is just that. Setting one makes this
 * section the one whose notice shows; another section's later one hides it for good.
 */
export function useOneNotice<N>(): readonly [N | null, (n: N | null) => void] {
  const shared = useContext(OwnerContext);
  const me = useRef({}).current;
  const [notice, setNotice] = useState<N | null>(null);
  const set = (n: N | null) => {
    setNotice(n);
    if (n !== null) shared?.claim(me);
  };
  return [shared === null || shared.owner === me ? notice : null, set];
}

/** Clears the notice of every section inside `OneNotice`. */
export function useClearNotices(): () => void {
  const shared = useContext(OwnerContext);
  return () => shared?.claim(null);
}
