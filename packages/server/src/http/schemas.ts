// The zod schemas of every request and response, one module per API area under
// schemas/. The same objects validate requests and generate the OpenAPI document
// (openapi.ts), so the two cannot drift apart. This module gathers them so route files
// read `S.Placement`, `S.Admit` … from one namespace.
// Invariant (docs/engine.md "Why no free text"): every request object is
// strict — a field the schema does not name is refused — and every string is bounded.

export * from './schemas/admin.js';
export * from './schemas/keys.js';
export * from './schemas/matches.js';
export {
  Contact,
  DateOnly,
  Empty,
  Epoch,
  HealthOut,
  Id,
  Informed,
  Person,
  ProblemOut,
  Pseudonym,
} from './schemas/primitives.js';
export * from './schemas/signals.js';
export * from './schemas/people.js';
export * from './schemas/sign-in.js';
