import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryEntry } from '../../src/core/historyEntry';
import { spending, startOfDay, startOfWeek } from '../../src/core/spending';

// Local time is what "today" and "this week" mean; a zone with daylight saving time tests the changes.
process.env.TZ = 'Europe/Berlin';

type Priced = Pick<HistoryEntry, 'time' | 'status' | 'gateway' | 'estimate' | 'actual'>;
const at = (iso: string, more: Partial<Priced> = {}): Priced => ({ time: Date.parse(iso), status: 'succeeded', gateway: 'api.a', ...more });
const iso = (ms: number) => new Date(ms).toISOString();

describe('start of day and week (local time)', () => {
  it('the zone is in effect', () => {
    assert.equal(new Date('2026-01-15T12:00:00Z').getTimezoneOffset(), -60);
    assert.equal(new Date('2026-07-15T12:00:00Z').getTimezoneOffset(), -120);
  });

  it('the week starts on Monday 00:00, from any day of it', () => {
    // Monday 2026-03-02 00:00 CET is 2026-03-01T23:00Z.
    for (const now of ['2026-03-01T23:00:00Z', '2026-03-04T12:00:00Z', '2026-03-08T22:59:59.999Z']) {
      assert.equal(iso(startOfWeek(new Date(now))), '2026-03-01T23:00:00.000Z', now);
    }
    // One millisecond earlier is Sunday of the week before.
    assert.equal(iso(startOfWeek(new Date('2026-03-01T22:59:59.999Z'))), '2026-02-22T23:00:00.000Z');
  });

  it('a week with the spring change (Sunday 2026-03-29, 02:00 -> 03:00) starts at Monday midnight, winter time', () => {
    // Sunday noon, summer time (UTC+2): the week still began at 2026-03-23 00:00 CET (UTC+1).
    const now = new Date('2026-03-29T10:00:00Z');
    assert.equal(iso(startOfWeek(now)), '2026-03-22T23:00:00.000Z');
    assert.equal(iso(startOfDay(now)), '2026-03-28T23:00:00.000Z');
    // The next Monday's midnight is summer time.
    assert.equal(iso(startOfWeek(new Date('2026-03-30T08:00:00Z'))), '2026-03-29T22:00:00.000Z');
  });

  it('a week with the autumn change (Sunday 2026-10-25, 03:00 -> 02:00) starts at Monday midnight, summer time', () => {
    const now = new Date('2026-10-25T20:00:00Z');
    assert.equal(iso(startOfWeek(now)), '2026-10-18T22:00:00.000Z');
    // Sunday 23:30, winter time: six 24-hour days back would be Tuesday 00:30, summer time.
    assert.equal(iso(startOfWeek(new Date('2026-10-25T22:30:00Z'))), '2026-10-18T22:00:00.000Z');
    assert.equal(iso(startOfDay(now)), '2026-10-24T22:00:00.000Z');
  });
});

describe('spending per gateway', () => {
  it('counts today, this week and all across the week boundary', () => {
    const now = new Date('2026-03-03T09:00:00Z'); // Tuesday 10:00 CET
    const entries = [
      at('2026-03-03T08:00:00Z', { actual: 0.5 }), // today
      at('2026-03-02T22:59:59.999Z', { actual: 0.25 }), // Monday 23:59: this week, not today
      at('2026-03-02T23:00:00Z', { actual: 0.125 }), // Tuesday 00:00: today
      at('2026-03-01T23:00:00Z', { actual: 1 }), // Monday 00:00: this week
      at('2026-03-01T22:59:59.999Z', { actual: 2 }), // Sunday 23:59: last week
      at('2025-12-31T12:00:00Z', { actual: 4 }),
    ];
    const [a] = spending(entries, now);
    assert.deepEqual(a, {
      gateway: 'api.a',
      today: { usd: 0.625, estimated: 0, unpriced: 0 },
      week: { usd: 1.875, estimated: 0, unpriced: 0 },
      all: { usd: 7.875, estimated: 0, unpriced: 0 },
    });
  });

  it('in the week of the spring change, Monday midnight is the boundary (not an hour off)', () => {
    const now = new Date('2026-03-29T10:00:00Z');
    const entries = [
      at('2026-03-22T23:00:00Z', { actual: 1 }),
      at('2026-03-22T22:59:59.999Z', { actual: 2 }),
      at('2026-03-28T23:00:00Z', { actual: 4 }),
    ];
    const [a] = spending(entries, now);
    assert.equal(a?.week.usd, 5);
    assert.equal(a?.today.usd, 4);
    assert.equal(a?.all.usd, 7);
  });

  it('keeps gateways apart, most spent first; entries without a host are their own group', () => {
    const now = new Date('2026-03-03T09:00:00Z');
    const entries = [
      at('2026-03-03T08:00:00Z', { actual: 0.1 }),
      at('2026-03-03T08:00:00Z', { gateway: 'api.b', actual: 0.3 }),
      at('2020-01-01T00:00:00Z', { gateway: undefined, estimate: 0.2 }),
    ];
    const rows = spending(entries, now);
    assert.deepEqual(
      rows.map((r) => [r.gateway, r.all.usd, r.today.usd]),
      [
        ['api.b', 0.3, 0.3],
        [undefined, 0.2, 0],
        ['api.a', 0.1, 0.1],
      ],
    );
  });

  it('an actual cost wins over the estimate; an estimate alone is counted and said to be estimated; neither is unpriced', () => {
    const now = new Date('2026-03-03T09:00:00Z');
    const entries = [
      at('2026-03-03T08:00:00Z', { actual: 0.04, estimate: 0.05 }),
      at('2026-03-03T08:00:00Z', { estimate: 0.02 }),
      at('2026-03-03T08:00:00Z', {}),
    ];
    assert.deepEqual(spending(entries, now)[0]?.all, { usd: 0.06, estimated: 0.02, unpriced: 1 });
  });

  it('failed and cancelled entries cost nothing here', () => {
    const now = new Date('2026-03-03T09:00:00Z');
    const entries = [
      at('2026-03-03T08:00:00Z', { status: 'failed', estimate: 1 }),
      at('2026-03-03T08:00:00Z', { status: 'cancelled', actual: 1 }),
    ];
    assert.deepEqual(spending(entries, now), []);
  });

  it('sums stay exact to the millionth (no 0.30000000000000004)', () => {
    const now = new Date('2026-03-03T09:00:00Z');
    const entries = [at('2026-03-03T08:00:00Z', { actual: 0.1 }), at('2026-03-03T08:00:00Z', { actual: 0.2 })];
    assert.equal(spending(entries, now)[0]?.all.usd, 0.3);
  });
});
