// Money on the page: an entry's cost beside its estimate, and what was spent per gateway.
import type { EntryCost, SpentRow } from '../src/protocol';
import { h } from './dom';
import { S } from './strings';

export const money = new Intl.NumberFormat(undefined, {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 3,
});

/** "$0.042 (estimate $0.053)", "estimate $0.053", "$0.042", or '' when nothing is known. */
export function costText(cost: EntryCost | undefined): string {
  const actual = cost?.actual === undefined ? undefined : money.format(cost.actual);
  const estimate = cost?.estimate === undefined ? undefined : money.format(cost.estimate);
  if (actual !== undefined) return estimate === undefined ? actual : S.costActual(actual, estimate);
  return estimate === undefined ? '' : S.costEstimate(estimate);
}

type Spent = SpentRow['all'];

/** An amount, saying how much of it is only estimated. */
function amount(s: Spent): string {
  if (s.estimated <= 0) return money.format(s.usd);
  return s.estimated >= s.usd ? S.spentAbout(money.format(s.usd)) : S.spentOfWhich(money.format(s.usd), money.format(s.estimated));
}

/** One line per gateway: today, this week, all; empty when nothing was spent. */
export function spentLines(rows: readonly SpentRow[]): HTMLElement[] {
  return rows.map((r) => {
    const parts = [S.spentToday(amount(r.today)), S.spentWeek(amount(r.week)), S.spentAll(amount(r.all))];
    if (r.all.unpriced > 0) parts.push(S.spentUnpriced(r.all.unpriced));
    return h('p', { class: 'spent-row' }, [
      h('span', { class: 'spent-gateway', text: r.gateway ?? S.gatewayUnknown }),
      ` ${parts.join(' · ')}`,
    ]);
  });
}
