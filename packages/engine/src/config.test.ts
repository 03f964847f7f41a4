// The legal ceilings of the engine configuration: 730 days active, 1827 days archived.

import { describe, expect, it } from 'vitest';
import { MAX_ARCHIVE_TERM_DAYS, resolveConfig } from './config.js';

describe('engine configuration ceilings', () => {
  it('caps the archive term at 1827 days (5 years) like the active term at 730', () => {
    expect(MAX_ARCHIVE_TERM_DAYS).toBe(1827);
    expect(resolveConfig({ archiveTermDays: 1827 }).archiveTermDays).toBe(1827);
    for (const archiveTermDays of [1828, 36_500, -1, 1.5]) {
      expect(() => resolveConfig({ archiveTermDays })).toThrowError(
        expect.objectContaining({ code: 'config_invalid', fields: ['archiveTermDays'] }),
      );
    }
    expect(() => resolveConfig({ activeTermDays: 731 })).toThrowError(
      expect.objectContaining({ fields: ['activeTermDays'] }),
    );
  });

  it('keeps logbook entries at least as long as a signal can live (active + archive term)', () => {
    expect(resolveConfig({}).logbookRetentionDays).toBe(2557);
    // The default terms: 730 + 1826 days.
    expect(
      resolveConfig({ activeTermDays: 10, archiveTermDays: 5, logbookRetentionDays: 15 })
        .logbookRetentionDays,
    ).toBe(15);
    expect(() =>
      resolveConfig({ activeTermDays: 10, archiveTermDays: 5, logbookRetentionDays: 14 }),
    ).toThrowError(expect.objectContaining({ code: 'config_invalid', fields: ['logbookRetentionDays'] }));
    expect(() => resolveConfig({ logbookRetentionDays: 2555 })).toThrowError(
      expect.objectContaining({ fields: ['logbookRetentionDays'] }),
    );
    expect(() => resolveConfig({ revealLogWindowHours: 169 })).toThrowError(
      expect.objectContaining({ fields: ['revealLogWindowHours'] }),
    );
  });
});
