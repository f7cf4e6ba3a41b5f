// When a request costs enough to ask first: the threshold's default and the decision, from the catalog's prices.
import * as z from 'zod/v4-mini';
import { DEFAULTS, PRICES_PER_IMAGE, type PriceTable } from './catalog';

const price = z.number().check(z.nonnegative());
/** `gptImage.prices` as a user writes it (and as the studio receives it): USD per image, by model and tier. */
export const pricesSchema = z.record(
  z.string(),
  z.strictObject({ '1K': z.optional(price), '2K': z.optional(price), '4K': z.optional(price) }),
);
export type Prices = z.infer<typeof pricesSchema>;

/** Images of the default model's 2K tier that a request may cost without a question. */
const FREE_2K_IMAGES = 4;

/** USD: four 2K images of the default model at list price (the default of `gptImage.confirmAbove`). */
export function defaultConfirmAbove(prices: PriceTable = PRICES_PER_IMAGE): number {
  const price = prices[DEFAULTS.model]?.['2K'] ?? 0;
  return Math.round(price * FREE_2K_IMAGES * 1e5) / 1e5;
}

/** List prices with the user's own entries laid over them, by model; never a workspace's. */
export function pricesForCheck(userPrices: PriceTable | undefined): PriceTable {
  return { ...PRICES_PER_IMAGE, ...userPrices };
}

export type CostCheck =
  /** `confirmAbove` is 0: never ask. */
  | { kind: 'off' }
  /** No price for this model or size, and the user chose all that drives it: not blocked, logged. */
  | { kind: 'unknown' }
  | { kind: 'within'; cost: number }
  /** Above the threshold, or of unknown cost while someone else chose what drives it (undefined cost). */
  | { kind: 'ask'; cost: number | undefined };

/**
 * Whether a request with this estimated cost (USD, undefined when unknown) needs the user's yes first.
 * `chosenElsewhere`: a workspace's settings or a chat agent chose what drives the cost (model, size, count…); a
 * request of unknown cost is then asked about too, or a repository or an agent could pick an unpriced model or
 * quality and send many large images.
 */
export function checkCost(cost: number | undefined, confirmAbove: number, chosenElsewhere = false): CostCheck {
  if (!(confirmAbove > 0)) return { kind: 'off' };
  if (cost === undefined) return chosenElsewhere ? { kind: 'ask', cost } : { kind: 'unknown' };
  return cost > confirmAbove ? { kind: 'ask', cost } : { kind: 'within', cost };
}

/** What the user is asked to confirm before a costly request is sent. */
export interface CostQuestion {
  model: string;
  size: string;
  quality: string | undefined;
  n: number;
  /** Estimated USD; undefined when no price is known. */
  cost: number | undefined;
  /** The user's `gptImage.confirmAbove`. */
  confirmAbove: number;
  /**
   * What drives the cost that the user did not choose, when there is any: settings of a workspace or an
   * extension ("gptImage.n", …), a chat agent's input ("n (chat agent)").
   */
  chosenElsewhere?: readonly string[];
}
