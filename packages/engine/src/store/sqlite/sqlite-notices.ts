// Archive notices and management-information counters on one better-sqlite3 connection
// (part of SqliteTx; docs/engine.md "Archive notice", "Management information"). A notice
// pair is unique by primary key; a counter grows by one upsert, never read-then-written.

import { uuidFromBytes } from '../../ids.js';
import type { ArchiveNoticeRow, StatisticRow } from '../store.js';
import { idBytes, type Row } from './sqlite-rows.js';
import { SqlitePeople } from './sqlite-people.js';

function notice(r: Row): ArchiveNoticeRow {
  return {
    id: uuidFromBytes(r.id),
    archivedSignalRid: r.archived,
    organisationRid: r.org,
    signalRid: r.signal,
    at: r.at,
  };
}

export function statisticRow(r: Row): StatisticRow {
  return {
    month: Number(r.month),
    organisationType: r.org_type,
    metric: Number(r.metric),
    value: Number(r.value),
  };
}

export class SqliteNotices extends SqlitePeople {
  async archiveNoticesOf(signalRid: number) {
    return this.st('SELECT * FROM archive_notices WHERE signal = ? ORDER BY at, archived')
      .all(signalRid)
      .map(notice);
  }
  async insertArchiveNotice(n: ArchiveNoticeRow) {
    const r = this.st(
      `INSERT INTO archive_notices (archived, org, id, signal, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (archived, org) DO NOTHING`,
    ).run(n.archivedSignalRid, n.organisationRid, idBytes(n.id), n.signalRid, n.at);
    return r.changes === 1;
  }
  /** Part of deleteSignal: the signal's notices as the archived side go, received ones are unlinked. */
  protected dropNoticesOf(signalRid: number) {
    this.st('DELETE FROM archive_notices WHERE archived = ?').run(signalRid);
    this.st('UPDATE archive_notices SET signal = NULL WHERE signal = ?').run(signalRid);
  }
  async statistics(fromMonth: number, toMonth: number) {
    return this.st(
      'SELECT * FROM statistics WHERE month >= ? AND month <= ? ORDER BY month, org_type, metric',
    )
      .all(fromMonth, toMonth)
      .map(statisticRow);
  }
  async addStatistic(month: number, organisationType: string, metric: number, by: number) {
    this.st(
      `INSERT INTO statistics (month, org_type, metric, value) VALUES (?, ?, ?, ?)
       ON CONFLICT (month, org_type, metric) DO UPDATE SET value = value + excluded.value`,
    ).run(month, organisationType, metric, by);
  }
}
