// The studio's size chooser as data: a model's sizes grouped tier → ratio → orientation → sizes,
// and the rule for keeping a choice valid when one level changes.
import type { Orientation, SizeEntry, Tier } from './catalog';

/** Sizes outside the provider's billing tables are grouped under 'other'. */
export type TierKey = Tier | 'other';

export interface OrientationGroup {
  orientation: Orientation;
  sizes: SizeEntry[];
}
export interface RatioGroup {
  /** Landscape form ("16:9") for both orientations of the ratio; "1:1" for squares. */
  ratio: string;
  orientations: OrientationGroup[];
}
export interface TierGroup {
  tier: TierKey;
  ratios: RatioGroup[];
}

export interface SizeSelection {
  tier: TierKey;
  ratio: string;
  orientation: Orientation;
  size: string;
}

const TIER_ORDER: readonly TierKey[] = ['1K', '2K', '4K', 'other'];
const ORIENTATION_ORDER: readonly Orientation[] = ['landscape', 'portrait', 'square'];

/** "9:16" → "16:9": the ratio named wide side first, so both orientations share one button. */
export function landscapeRatio(ratio: string): string {
  const [a, b] = ratio.split(':').map(Number);
  return a !== undefined && b !== undefined && b > a ? `${b}:${a}` : ratio;
}

/** Numeric width/height of a "W:H" ratio, for ordering and preview shapes; 1 when unreadable. */
export function ratioValue(ratio: string): number {
  const [a, b] = ratio.split(':').map(Number);
  return a && b ? a / b : 1;
}

/** Groups sizes for the chooser: tiers in billing order, ratios from square to widest, sizes by area. */
export function groupSizes(sizes: readonly SizeEntry[]): TierGroup[] {
  const tiers = new Map<TierKey, Map<string, Map<Orientation, SizeEntry[]>>>();
  for (const entry of sizes) {
    const tier = entry.tier ?? 'other';
    const ratio = landscapeRatio(entry.ratio);
    const ratios = tiers.get(tier) ?? tiers.set(tier, new Map()).get(tier)!;
    const orientations = ratios.get(ratio) ?? ratios.set(ratio, new Map()).get(ratio)!;
    const list = orientations.get(entry.orientation) ?? orientations.set(entry.orientation, []).get(entry.orientation)!;
    if (!list.some((e) => e.size === entry.size)) list.push(entry);
  }
  return [...tiers]
    .sort(([a], [b]) => TIER_ORDER.indexOf(a) - TIER_ORDER.indexOf(b))
    .map(([tier, ratios]) => ({
      tier,
      ratios: [...ratios]
        .sort(([a], [b]) => ratioValue(a) - ratioValue(b))
        .map(([ratio, orientations]) => ({
          ratio,
          orientations: [...orientations]
            .sort(([a], [b]) => ORIENTATION_ORDER.indexOf(a) - ORIENTATION_ORDER.indexOf(b))
            .map(([orientation, list]) => ({ orientation, sizes: [...list].sort((x, y) => x.width * x.height - y.width * y.height) })),
        })),
    }));
}

/** Where a size sits in the groups, or undefined when the model does not list it. */
export function locateSize(groups: readonly TierGroup[], size: string): SizeSelection | undefined {
  for (const t of groups) {
    for (const r of t.ratios) {
      for (const o of r.orientations) {
        if (o.sizes.some((s) => s.size === size)) return { tier: t.tier, ratio: r.ratio, orientation: o.orientation, size };
      }
    }
  }
  return undefined;
}

/**
 * A valid selection after one level changed: each lower level keeps its value when the new
 * parent has it, else takes the parent's first choice. Undefined when there are no sizes at all.
 */
export function resolveSelection(
  groups: readonly TierGroup[],
  previous: Partial<SizeSelection>,
  change: Partial<SizeSelection> = {},
): SizeSelection | undefined {
  if (change.size && !change.tier && !change.ratio && !change.orientation) {
    const found = locateSize(groups, change.size);
    if (found) return found;
  }
  const want = { ...previous, ...change };
  const tier = groups.find((t) => t.tier === want.tier) ?? groups[0];
  if (!tier) return undefined;
  const ratio = tier.ratios.find((r) => r.ratio === want.ratio) ?? tier.ratios[0]!;
  const orientation = ratio.orientations.find((o) => o.orientation === want.orientation) ?? ratio.orientations[0]!;
  const size = orientation.sizes.find((s) => s.size === want.size) ?? orientation.sizes[0]!;
  return { tier: tier.tier, ratio: ratio.ratio, orientation: orientation.orientation, size: size.size };
}
