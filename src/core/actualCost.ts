// What a token-billed answer cost, from the `usage` the gateway reported. The gateway chooses that object,
// so every count is checked: anything odd gives no actual cost (the estimate is shown instead), never NaN.
import { TOKEN_PRICES, type TokenPriceTable } from './catalog';

/** More tokens than this in one field is no real answer (a 4K high-quality image is under 10,000). */
export const MAX_TOKENS = 1e8;

/** More USD than this for one entry is no real bill; a recorded value above it is dropped. */
export const MAX_USD = 1e6;

/** A token count: a whole number from 0 to MAX_TOKENS, else undefined. */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_TOKENS ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/**
 * USD the answer's `usage` comes to at the model's token prices, or undefined when the model has no token
 * price or the usage is not a consistent OpenAI usage object. The input must be split into text and image
 * tokens (`input_tokens_details`) that add up to `input_tokens` when that is given: without the split the
 * cost is not guessed. All output tokens are priced as image output.
 */
export function actualCost(model: string, usage: unknown, prices: TokenPriceTable = TOKEN_PRICES): number | undefined {
  // An inherited name ("constructor") finds no numbers: its price is NaN, refused below.
  const price = prices[model];
  const u = record(usage);
  if (!price || !u) return undefined;
  const details = record(u.input_tokens_details);
  const text = count(details?.text_tokens);
  const image = count(details?.image_tokens);
  const output = count(u.output_tokens);
  if (text === undefined || image === undefined || output === undefined) return undefined;
  if (u.input_tokens !== undefined && count(u.input_tokens) !== text + image) return undefined;
  const usd = (text * price.textInput + image * price.imageInput + output * price.imageOutput) / 1e6;
  return Number.isFinite(usd) && usd >= 0 ? Math.round(usd * 1e6) / 1e6 : undefined;
}
