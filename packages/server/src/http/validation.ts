// Turns zod issues into field paths. Invariant (docs/api.md "Errors (RFC 9457)"): nothing
// the client sent is returned — not zod's messages (they can quote input), not the
// names of unknown keys (a key is input too): an unknown key is reported by the path
// of the object that holds it.

import { faultCode } from '@sluis/engine';
import type { z } from 'zod';

function joinPath(root: string, path: readonly PropertyKey[]): string {
  if (path.length === 0) return root;
  return path.map((p) => (typeof p === 'symbol' ? '?' : String(p))).join('.');
}

/** Sorted, de-duplicated field paths of a failed parse. `prefix` is prepended (e.g. `items.3`). */
export function issueFields(error: z.ZodError, root: string, prefix: readonly PropertyKey[] = []): string[] {
  const out = new Set<string>();
  for (const issue of error.issues) {
    out.add(joinPath(root, [...prefix, ...issue.path]));
  }
  return [...out].sort();
}

/**
 * The problem code of a failed parse: `text_forbidden` when every issue is forbidden
 * content in a text field (schemas/primitives.ts textField), else `validation_failed` —
 * the same choice as the engine's (input-rules.ts faultCode).
 */
export function issueCode(error: z.ZodError): 'validation_failed' | 'text_forbidden' {
  return faultCode(
    error.issues.map((i) =>
      i.code === 'custom' && (i.params as { fault?: unknown } | undefined)?.fault === 'text_forbidden'
        ? 'text_forbidden'
        : 'validation_failed',
    ),
  );
}
