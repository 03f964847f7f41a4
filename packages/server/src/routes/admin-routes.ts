// Municipality routes (docs/api.md "Admin (municipality) routes"), reachable with an admin key only,
// gathered by area in the order the route table (and so the OpenAPI document) lists
// them. GDPR requests carry the citizen's client pseudonym in the body, never in a URL
// (docs/api.md "Conventions"); nothing here returns a pseudonym or an identifier.

import type { AnyRoute } from '../http/route.js';
import { adminEpochRoutes } from './admin-epoch-routes.js';
import { adminGdprRoutes } from './admin-gdpr-routes.js';
import { adminKeyRoutes } from './admin-key-routes.js';
import { adminOrganisationRoutes } from './admin-organisation-routes.js';
import { adminOversightRoutes } from './admin-oversight-routes.js';

export { testClockRoutes } from './test-clock-routes.js';

export const adminRoutes: readonly AnyRoute[] = [
  ...adminOrganisationRoutes,
  ...adminKeyRoutes,
  ...adminGdprRoutes,
  ...adminOversightRoutes,
  ...adminEpochRoutes,
  // Retirement, migration progress and the other key lifecycle routes: key-routes.ts.
];
