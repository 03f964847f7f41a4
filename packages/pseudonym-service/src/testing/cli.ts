// What the pseudonym service's tests share: the CLI run in-process with its output captured,
// and services started on real HTTP (a free port, real files) that are closed after each test.

import { afterEach } from 'vitest';
import { main } from '../cli.js';
import { DEFAULTS, type ServiceConfig } from '../config.js';
import { type RunningService, startPseudonymService } from '../service.js';

/** Runs `sluis-pseudonym-service ARGS`; its exit code and what it wrote. */
export async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
    cwd: '/',
  });
  return { code, out, err };
}

/** The service's defaults on 127.0.0.1 and a free port, with `extra` in place of any of them. */
export function serviceConfig(dataDir: string, extra: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    dataDir,
    host: '127.0.0.1',
    port: 0,
    evaluationBudgetPerDay: DEFAULTS.evaluationBudgetPerDay,
    evaluationAlertPerHour: DEFAULTS.evaluationAlertPerHour,
    requestsPerMinute: DEFAULTS.requestsPerMinute,
    ...extra,
  };
}

/**
 * Call at the top of a test file: `start` starts a service on `serviceConfig(dataDir, extra)`,
 * `running` holds the ones still open (a test may close one itself with `running.pop()`), and
 * every one still open is closed after each test.
 */
export function startedServices() {
  const running: RunningService[] = [];
  afterEach(async () => {
    for (const s of running.splice(0)) await s.close();
  });
  const start = async (dataDir: string, extra: Partial<ServiceConfig> = {}, clock?: () => number) => {
    const s = await startPseudonymService(serviceConfig(dataDir, extra), clock);
    running.push(s);
    return s;
  };
  return { running, start };
}
