// The GDPR access requests that found a signal (contract/access-requests.ts, docs/leakage.md
// §3.5) on one better-sqlite3 connection (part of SqliteTx). A row goes with its signal
// (ON DELETE CASCADE: no statement of its own) and with the logbook's purge.

import type { AccessRequestRow } from '../contract/access-requests.js';
import { SqliteHandover } from './sqlite-handover.js';
import type { Row } from './sqlite-rows.js';

export function accessRequestRow(r: Row): AccessRequestRow {
  return { signalRid: Number(r.signal), at: Number(r.at), role: String(r.role) };
}

export class SqliteAccessRequests extends SqliteHandover {
  async accessRequestsOf(signalRids: readonly number[]) {
    // A person has a few signals: one indexed look-up each, merged in time order.
    const st = this.st('SELECT signal, at, role FROM access_requests WHERE signal = ?');
    const rows = [...new Set(signalRids)].flatMap((rid) => st.all(rid).map(accessRequestRow));
    return rows.sort((x, y) => x.at - y.at || x.signalRid - y.signalRid);
  }
  async insertAccessRequests(signalRids: readonly number[], at: number, role: string) {
    const st = this.st('INSERT INTO access_requests (signal, at, role) VALUES (?, ?, ?)');
    for (const rid of new Set(signalRids)) st.run(rid, at, role);
  }
  async deleteAccessRequestsThrough(at: number) {
    return this.st('DELETE FROM access_requests WHERE at <= ?').run(at).changes;
  }
}
