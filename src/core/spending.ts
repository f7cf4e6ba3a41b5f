// What the history says was spent, per gateway: today, this week (since Monday 00:00 local time) and in all.
// Only succeeded entries count. An entry counts its actual cost (from the answer's usage) where it has one,
// else its estimate, and the estimated part is kept apart so the page can say "of which … estimated";
// an entry with neither is counted as unpriced.
import type { HistoryEntry } from './historyEntry';

export interface Spent {
  /** USD: actual costs plus the estimates of entries without one. */
  usd: number;
  /** The part of `usd` that is estimated. */
  estimated: number;
  /** Succeeded entries with no price at all. */
  unpriced: number;
}

export interface GatewaySpending {
  /** The gateway's host; undefined for entries recorded before the host was. */
  gateway: string | undefined;
  today: Spent;
  week: Spent;
  all: Spent;
}

type Priced = Pick<HistoryEntry, 'time' | 'status' | 'gateway' | 'estimate' | 'actual'>;

/** Local midnight of the day `now` falls in. */
export function startOfDay(now: Date): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
}

/** Monday 00:00 local time of the week `now` falls in (a day count, so a DST change within the week does not shift it). */
export function startOfWeek(now: Date): number {
  const sinceMonday = (now.getDay() + 6) % 7;
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - sinceMonday).getTime();
}

const nothing = (): Spent => ({ usd: 0, estimated: 0, unpriced: 0 });

function add(into: Spent, e: Priced): void {
  if (e.actual !== undefined) into.usd += e.actual;
  else if (e.estimate !== undefined) {
    into.usd += e.estimate;
    into.estimated += e.estimate;
  } else into.unpriced++;
}

const round = (s: Spent): Spent => ({ ...s, usd: Math.round(s.usd * 1e6) / 1e6, estimated: Math.round(s.estimated * 1e6) / 1e6 });

/** Spending per gateway, most spent first, from `now` (the clock is the caller's, so tests can choose it). */
export function spending(entries: readonly Priced[], now: Date): GatewaySpending[] {
  const day = startOfDay(now);
  const week = startOfWeek(now);
  const by = new Map<string | undefined, GatewaySpending>();
  for (const e of entries) {
    if (e.status !== 'succeeded') continue;
    let g = by.get(e.gateway);
    if (!g) by.set(e.gateway, (g = { gateway: e.gateway, today: nothing(), week: nothing(), all: nothing() }));
    add(g.all, e);
    if (e.time >= week) add(g.week, e);
    if (e.time >= day) add(g.today, e);
  }
  return [...by.values()]
    .map((g) => ({ ...g, today: round(g.today), week: round(g.week), all: round(g.all) }))
    .sort((a, b) => b.all.usd - a.all.usd);
}
