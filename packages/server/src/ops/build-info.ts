// What this program is and which database schema it migrates to (docs/operations.md
// "Upgrade"): printed by `sluis-server version`, logged in `server_started`, exported as
// `sluis_build_info`, so an operator sees before and after an upgrade whether it changes the
// schema (a changed schema version: every instance of the old version must stop first), and
// which commit each instance was built from (two builds of one version differ only there).

import { readFileSync } from 'node:fs';
import { SCHEMA_VERSION } from '@sluis/engine';

/**
 * The schema version a store of this kind is migrated to on open. PostgreSQL's comes with its
 * store (`@sluis/engine/postgres`, loaded here when asked: a server on SQLite does not load it,
 * docs/performance.md "Case 4 on a crowded machine").
 */
export async function schemaVersion(store: 'sqlite' | 'postgres'): Promise<number> {
  return store === 'sqlite' ? SCHEMA_VERSION : (await import('@sluis/engine/postgres')).PG_SCHEMA_VERSION;
}

/**
 * The commit the build was made from: `dist/build-commit.json`, which the package's build
 * writes (build/write-build-commit.mjs), `<commit>-dirty` for a checkout with uncommitted
 * changes; "unknown" for a build outside git, and when run from the sources (tests), where no
 * build wrote one.
 */
export function readBuildCommit(file: URL = new URL('../build-commit.json', import.meta.url)): string {
  try {
    const commit = (JSON.parse(readFileSync(file, 'utf8')) as { commit?: unknown }).commit;
    return typeof commit === 'string' && /^[0-9a-f]{7,40}(-dirty)?$/.test(commit) ? commit : 'unknown';
  } catch {
    return 'unknown';
  }
}

export const BUILD_COMMIT = readBuildCommit();

/** `schema: sqlite <n>, postgresql <m>` — the second line of `sluis-server version`. */
export async function schemaLine(): Promise<string> {
  return `schema: sqlite ${await schemaVersion('sqlite')}, postgresql ${await schemaVersion('postgres')}`;
}

/** `commit: <id>` (or `commit: unknown`) — the third line of `sluis-server version`. */
export function commitLine(): string {
  return `commit: ${BUILD_COMMIT}`;
}
