// vitest global setup: one throwaway PostgreSQL cluster for the whole run (postgres.ts),
// handed to the suites as `postgresUrl` (each suite creates its own databases in it). When
// the machine has no server binaries the PostgreSQL suites are skipped and the run says so
// plainly; under CI=true a missing PostgreSQL fails the run instead.

import type { TestProject } from 'vitest/node';
import { findPostgresBinaries, type PostgresCluster, startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The cluster's URL, or '' when the PostgreSQL suites are skipped. */
    postgresUrl: string;
  }
}

let cluster: PostgresCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  const bin = findPostgresBinaries();
  if (bin === undefined) {
    if (process.env.CI === 'true') {
      throw new Error('PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin): CI needs them');
    }
    process.stderr.write('PostgreSQL suites skipped: no server binaries\n');
    project.provide('postgresUrl', '');
    return;
  }
  cluster = await startPostgres(bin);
  project.provide('postgresUrl', cluster.url);
}

export function teardown(): void {
  cluster?.stop();
  cluster = undefined;
}
