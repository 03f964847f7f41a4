// English texts for refusals by the engine's rules: every key of the Dutch ones
// (nl/engine-rules.ts), spread into the English catalogue (en.ts).

import type { engineRules as nl } from '../nl/engine-rules.js';

export const engineRules: Record<keyof typeof nl, string> = {
  'error.last_administrator':
    'This is the municipality’s last administrator. Add another administrator first, then remove this person.',
  'error.passkey_counter_invalid':
    'This passkey may have been copied, so it cannot be used to go on. Use another passkey of yours, or ask your organisation’s coordinator to remove this passkey and give you a new invitation code. Do you work at the municipality? Then ask the municipality’s administrator. Tell them too that someone may have a copy of your passkey.',
};
