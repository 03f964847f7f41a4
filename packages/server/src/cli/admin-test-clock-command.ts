// `sluis-server admin test-clock`: reads or advances the server's test clock. TEST ONLY:
// the server has these routes only when started with --test-clock, which is refused
// outside NODE_ENV=test (config-validation.ts).

import { type AdminValues as Values, int } from './admin-options.js';
import { type Plan, pretty, simple } from './admin-output.js';
import type { CliIo } from './io.js';

export function planTestClockCommand(v: Values, io: CliIo): Plan {
  const days = int(v['advance-days'], 'advance-days');
  const seconds = int(v['advance-seconds'], 'advance-seconds');
  if (days === undefined && seconds === undefined)
    return simple(io, 'GET', '/v1/admin/test/clock', {}, pretty);
  const body = {
    ...(days === undefined ? {} : { advanceDays: days }),
    ...(seconds === undefined ? {} : { advanceSeconds: seconds }),
  };
  return simple(
    io,
    'POST',
    '/v1/admin/test/clock',
    { body },
    (b) => `server time now ${(b as { now: string }).now}\n`,
  );
}
