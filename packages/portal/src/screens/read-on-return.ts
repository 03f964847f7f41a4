// Reading a screen's list again when the person comes back to the page — the tab shown again
// or the window focused again — so what changed elsewhere meanwhile (a handover by the
// coordinator, a request by a professional) is shown without a reload. No timer: nothing is
// read while nobody looks, and a return reads once, however many of these events it fires
// (docs/portal.md "Screens").
import { useEffect, useRef } from 'preact/hooks';

/** Calls `read` when the page is shown or focused again; not while a read it started runs. */
export function useReadOnReturn(read: () => Promise<unknown>): void {
  const latest = useRef(read);
  latest.current = read;
  useEffect(() => {
    let reading = false;
    const wake = () => {
      if (reading || document.visibilityState !== 'visible') return;
      reading = true;
      void latest.current().finally(() => {
        reading = false;
      });
    };
    document.addEventListener('visibilitychange', wake);
    globalThis.addEventListener('focus', wake);
    return () => {
      document.removeEventListener('visibilitychange', wake);
      globalThis.removeEventListener('focus', wake);
    };
  }, []);
}
