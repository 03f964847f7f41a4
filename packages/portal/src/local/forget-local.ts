// "Remove what this browser keeps for me" (docs/portal.md "What stays in the browser"): the
// person's notes, last visit and lookup-tag key in this browser. The session is not touched
// (sign-out ends it); the next placement makes a new key.

import { forgetPersonNotes } from './local-store.js';
import { forgetTagKey } from './tag-key.js';

export async function forgetLocal(personId: string): Promise<void> {
  forgetPersonNotes(personId);
  await forgetTagKey(personId);
}
