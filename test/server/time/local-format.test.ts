import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalFormatter } from '../../../server/time/local-format.ts';
import { localDateTime, localIsoSeconds } from '../../../server/time/site-time.ts';

describe('cached site-local formatter', () => {
  for (const tz of [
    'Asia/Shanghai',
    'Europe/Berlin',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'UTC',
  ]) {
    it(`matches Intl in ${tz}, across DST transitions, second by second near them`, () => {
      const fmt = createLocalFormatter(tz);
      // Every 7 minutes and 13 seconds over two years (both DST transitions each year) …
      for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 433_000) {
        assert.equal(fmt(new Date(ms)), localDateTime(new Date(ms), tz));
      }
      // … and each second around the 2026 EU/US spring-forward instants.
      for (const around of [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 2, 8, 7)]) {
        for (let ms = around - 5000; ms < around + 5000; ms += 999)
          assert.equal(fmt(new Date(ms)), localDateTime(new Date(ms), tz));
      }
      assert.equal(
        createLocalFormatter(tz, 'T')(new Date(Date.UTC(2026, 0, 1))),
        localIsoSeconds(new Date(Date.UTC(2026, 0, 1)), tz),
      );
    });
  }
});
