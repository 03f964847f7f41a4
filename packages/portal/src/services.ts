// The default services of the page. Pseudonymisation goes through the pseudonym service
// with a credential the match server issues for the session (docs/protocol.md, the
// session link of the pseudonym service); until a deployment has that link, placing and
// looking up refuse with `pseudonym_service_unavailable` rather than fall back to a key in
// the browser.

import type { PortalServices } from './app-context.js';
import { ApiError } from './api/http.js';

export function defaultServices(): PortalServices {
  return {
    pseudonymisers: async () => {
      throw new ApiError(0, 'pseudonym_service_unavailable');
    },
  };
}
