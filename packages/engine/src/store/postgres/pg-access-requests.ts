// The GDPR access requests that found a signal (contract/access-requests.ts, docs/leakage.md
// §3.5) on PostgreSQL (part of PgTx), read with the SQLite store's row mapper. A row goes
// with its signal (ON DELETE CASCADE) and with the logbook's purge.

import { accessRequestRow } from '../sqlite/sqlite-access-requests.js';
import { PgHandover } from './pg-handover.js';

export class PgAccessRequests extends PgHandover {
  async accessRequestsOf(signalRids: readonly number[]) {
    const rows = await this.q(
      (sql) => sql`SELECT signal, at, role FROM access_requests
        WHERE signal = ANY(${[...new Set(signalRids)]}::bigint[]) ORDER BY at, signal`,
    );
    return rows.map(accessRequestRow);
  }
  async insertAccessRequests(signalRids: readonly number[], at: number, role: string) {
    const rids = [...new Set(signalRids)];
    if (rids.length === 0) return;
    await this.q(
      (sql) => sql`INSERT INTO access_requests (signal, at, role)
        SELECT unnest(${rids}::bigint[]), ${at}, ${role}`,
    );
  }
  async deleteAccessRequestsThrough(at: number) {
    return (await this.q((sql) => sql`DELETE FROM access_requests WHERE at <= ${at} RETURNING 1 AS n`))
      .length;
  }
}
