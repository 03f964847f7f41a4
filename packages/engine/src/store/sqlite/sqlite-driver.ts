// Whether better-sqlite3's compiled binding loads in this process. The binding is built for one
// Node.js ABI (NODE_MODULE_VERSION) at install; run by another major version it fails to load
// (ERR_DLOPEN_FAILED) only when the first database opens. A start asks first, before it writes
// anything, so such a start is refused with what to do and leaves the data directory as it was
// (docs/operations.md "Upgrade").

import Database from 'better-sqlite3';

/**
 * Undefined when the binding loads (an in-memory database opens and closes); else the load
 * error's code (`ERR_DLOPEN_FAILED`; `binding_not_found` for a missing build, else `unknown`):
 * a code of Node or a fixed word, never a path or message of the host.
 */
export function sqliteBindingFailure(): string | undefined {
  try {
    new Database(':memory:').close();
    return undefined;
  } catch (e) {
    const code = e !== null && typeof e === 'object' && 'code' in e ? e.code : undefined;
    if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return code;
    // the `bindings` package's refusal when no build of the binding exists
    return e instanceof Error && e.message.startsWith('Could not locate the bindings file')
      ? 'binding_not_found'
      : 'unknown';
  }
}
