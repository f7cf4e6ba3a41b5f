// The one home for image sizes, models, their limits and prices.
import { EXTRA_OPTIONS, OPTION_DEFAULTS, OUTPUT_FORMATS, type ExtraOption, type ImageFormat } from './options';

export type { ImageFormat } from './options';

export type Tier = '1K' | '2K' | '4K';
export type Orientation = 'landscape' | 'portrait' | 'square';

export interface SizeEntry {
  /** As sent in the request, e.g. "1536x1024". */
  size: string;
  width: number;
  height: number;
  /** The provider's billing tier; undefined for sizes outside its tables. */
  tier: Tier | undefined;
  /** The ratio as the provider's table row names it ("16:9"), which is not always exact (1360x768). */
  ratio: string;
  orientation: Orientation;
}

export interface ModelInfo {
  id: string;
  label: string;
  sizes: readonly SizeEntry[];
  allowsAuto: boolean;
  /** Whether any `WxH` passing isValidCustomSize is accepted besides `sizes`. */
  allowsCustomSize: boolean;
  /** Maximum prompt length in characters. */
  promptLimit: number;
  /** Empty when the model takes no `quality`. */
  qualities: readonly string[];
  /** Empty when the model takes no `output_format` (it answers PNG). */
  formats: readonly ImageFormat[];
  maxN: number;
  /** The options beyond quality, format and count that the model takes (background, moderation, …). */
  takes: readonly ExtraOption[];
  /**
   * Whether it streams partial images (`stream`, `partial_images`): `always`, `never`, or `whenNamed` in the
   * user's `gptImage.streamingModels` (a gateway's model, or one whose gateway may or may not stream).
   */
  streaming: 'always' | 'never' | 'whenNamed';
  /** False for an id typed by the user that this catalog does not describe. */
  known: boolean;
}

const COMMON_RATIOS = ['1:1', '5:4', '4:3', '3:2', '16:9', '2:1', '21:9', '7:4', '3:1'];

/** Names a ratio the way the tables do: the closest common ratio within 2%, else a reduced fraction. */
function ratioLabel(width: number, height: number): string {
  const wide = Math.max(width, height) / Math.min(width, height);
  const offBy = (r: string) => {
    const [a, b] = r.split(':').map(Number);
    return Math.abs(wide / (a / b) - 1);
  };
  const common = [...COMMON_RATIOS].sort((x, y) => offBy(x) - offBy(y)).find((r) => offBy(r) < 0.02);
  if (common) return width >= height ? common : swapRatio(common);
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const g = gcd(width, height);
  return `${width / g}:${height / g}`;
}

// The provider's gpt-image-2-origin size matrix: [tier, landscape ratio, landscape sizes, portrait sizes].
const TABLE: readonly [Tier, string, string[], string[]][] = [
  ['1K', '4:3', ['1024x768', '1344x1024'], ['768x1024', '1024x1344']],
  ['1K', '5:4', ['1280x1024'], ['1024x1280']],
  ['1K', '16:9', ['1360x768', '1536x864'], ['768x1360', '864x1536']],
  ['1K', '1:1', ['1024x1024'], []],
  ['1K', '3:2', ['1536x1024'], ['1024x1536']],
  ['1K', '2:1', ['2048x1024'], ['1024x2048']],
  ['1K', '21:9', ['2016x864'], ['864x2016']],
  ['2K', '16:9', ['1920x1080', '2048x1152', '2560x1440'], ['1080x1920', '1152x2048', '1440x2560']],
  ['2K', '1:1', ['1536x1536'], []],
  ['2K', '3:2', ['2048x1360', '2160x1440'], ['1360x2048', '1440x2160']],
  ['2K', '4:3', ['2048x1536'], ['1536x2048']],
  ['2K', '2:1', ['2688x1344'], ['1344x2688']],
  ['2K', '21:9', ['2688x1152'], ['1152x2688']],
  ['2K', '5:4', ['2560x2048'], ['2048x2560']],
  ['4K', '1:1', ['2048x2048', '2880x2880'], []],
  ['4K', '4:3', ['3264x2448'], ['2448x3264']],
  ['4K', '3:2', ['3504x2336'], ['2336x3504']],
  ['4K', '2:1', ['3840x1920'], ['1920x3840']],
  ['4K', '21:9', ['3840x1648'], ['1648x3840']],
  ['4K', '16:9', ['3840x2160'], ['2160x3840']],
];

function swapRatio(ratio: string): string {
  return ratio.split(':').reverse().join(':');
}

function entry(size: string, tier: Tier | undefined, ratio: string): SizeEntry {
  const { width, height } = parseSize(size)!;
  const orientation: Orientation = width === height ? 'square' : width > height ? 'landscape' : 'portrait';
  return { size, width, height, tier, ratio, orientation };
}

/** Landscape before portrait within each row, rows in table order (so tiers stay grouped). */
const ORIGIN_SIZES: readonly SizeEntry[] = TABLE.flatMap(([tier, ratio, landscape, portrait]) => [
  ...landscape.map((s) => entry(s, tier, ratio)),
  ...portrait.map((s) => entry(s, tier, swapRatio(ratio))),
]);

// OpenAI's common sizes; 1536x1024 and 1024x1536 also sit in the provider's 1K table.
const OPENAI_SIZES = ['1024x1024', '1536x1024', '1024x1536'].map((s) => describeSize(s)!);
// Tiers are the provider's billing classes, so other vendors' sizes carry none.
const plain = (s: string): SizeEntry => ({ ...describeSize(s)!, tier: undefined });
const DALLE3_SIZES = ['1024x1024', '1792x1024', '1024x1792'].map(plain);
const DALLE2_SIZES = ['256x256', '512x512', '1024x1024'].map(plain);

const GPT_LIMIT = 32000;
const ALL_FORMATS: readonly ImageFormat[] = OUTPUT_FORMATS;
const PROVIDER_QUALITIES = ['low', 'medium', 'high'];
// OpenAI's GPT image models also take `auto` quality.
const OPENAI_QUALITIES = ['low', 'medium', 'high', 'auto'];

// OpenAI's GPT image models take every option; input fidelity is gpt-image-1's and gpt-image-1.5's only
// (OpenAI's schema: "unsupported for gpt-image-1-mini"; gpt-image-2 always edits at high fidelity).
const OPENAI_OPTIONS: readonly ExtraOption[] = ['background', 'moderation', 'outputCompression', 'user'];
const TAKES_FIDELITY = ['gpt-image-1', 'gpt-image-1.5'];

function openAiGptImage(id: string, label: string): ModelInfo {
  // gpt-image-2 and its snapshots follow OpenAI's pattern rule for sizes, so custom sizes are offered for them;
  // the other GPT image models take only the three standard sizes (and auto).
  const custom = id.startsWith('gpt-image-2');
  return {
    id,
    label,
    sizes: OPENAI_SIZES,
    allowsAuto: true,
    allowsCustomSize: custom,
    promptLimit: GPT_LIMIT,
    qualities: OPENAI_QUALITIES,
    formats: ALL_FORMATS,
    // The plain id is also this provider's, which takes 1 to 8 images (OpenAI: 10): 8 fits both.
    maxN: id === 'gpt-image-2' ? 8 : 10,
    takes: TAKES_FIDELITY.includes(id) ? [...OPENAI_OPTIONS, 'inputFidelity'] : OPENAI_OPTIONS,
    streaming: 'always',
    known: true,
  };
}

export const MODELS: readonly ModelInfo[] = [
  {
    id: 'gpt-image-2-origin',
    label: 'GPT-Image-2 (billed by size)',
    sizes: ORIGIN_SIZES,
    allowsAuto: false,
    allowsCustomSize: false,
    promptLimit: GPT_LIMIT,
    qualities: PROVIDER_QUALITIES,
    formats: ALL_FORMATS,
    maxN: 8,
    // The provider documents none of the other options, nor a stream.
    takes: [],
    streaming: 'whenNamed',
    known: true,
  },
  {
    // The provider documents only `auto` as its size: it bills by what it returns.
    id: 'gpt-image-2-auto',
    label: 'GPT-Image-2 (auto size)',
    sizes: [],
    allowsAuto: true,
    allowsCustomSize: false,
    promptLimit: GPT_LIMIT,
    qualities: PROVIDER_QUALITIES,
    formats: ALL_FORMATS,
    maxN: 8,
    // The provider documents none of the other options, nor a stream.
    takes: [],
    streaming: 'whenNamed',
    known: true,
  },
  openAiGptImage('gpt-image-2', 'GPT-Image-2'),
  openAiGptImage('gpt-image-2-2026-04-21', 'GPT-Image-2 2026-04-21'),
  openAiGptImage('gpt-image-1.5', 'GPT-Image-1.5'),
  openAiGptImage('gpt-image-1', 'GPT-Image-1'),
  openAiGptImage('gpt-image-1-mini', 'GPT-Image-1 mini'),
  openAiGptImage('chatgpt-image-latest', 'ChatGPT Image Latest'),
  {
    // DALL·E models take no output_format and answer PNG.
    id: 'dall-e-3',
    label: 'DALL·E 3',
    sizes: DALLE3_SIZES,
    allowsAuto: false,
    allowsCustomSize: false,
    promptLimit: 4000,
    qualities: ['standard', 'hd'],
    formats: [],
    maxN: 1,
    takes: ['user'],
    streaming: 'never',
    known: true,
  },
  {
    id: 'dall-e-2',
    label: 'DALL·E 2',
    sizes: DALLE2_SIZES,
    allowsAuto: false,
    allowsCustomSize: false,
    promptLimit: 1000,
    qualities: [],
    formats: [],
    maxN: 10,
    takes: ['user'],
    streaming: 'never',
    known: true,
  },
];

/** The request defaults (src/core/options.ts), for code that speaks of models. */
export const DEFAULTS = OPTION_DEFAULTS;

/** The one size a model takes (gpt-image-2-auto: `auto`), when it leaves nothing to ask. */
export function soleSize(model: ModelInfo): string | undefined {
  return model.sizes.length === 0 && model.allowsAuto && !model.allowsCustomSize ? 'auto' : undefined;
}

/** A model id the catalog does not know (a gateway's own) is allowed with permissive limits. */
export function getModel(id: string): ModelInfo {
  return (
    MODELS.find((m) => m.id === id) ?? {
      id,
      label: id,
      sizes: OPENAI_SIZES,
      allowsAuto: true,
      allowsCustomSize: true,
      promptLimit: GPT_LIMIT,
      qualities: OPENAI_QUALITIES,
      formats: ALL_FORMATS,
      maxN: 10,
      // What the user chose is passed on, as its quality is; a stream only when the user says the gateway streams.
      takes: EXTRA_OPTIONS,
      streaming: 'whenNamed',
      known: false,
    }
  );
}

export function parseSize(s: string): { width: number; height: number } | undefined {
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(s.trim().toLowerCase());
  if (!m) return undefined;
  const width = Number(m[1]);
  const height = Number(m[2]);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** Table entry for a known size; other `WxH` sizes are described with no tier. `auto` and junk give undefined. */
export function describeSize(size: string): SizeEntry | undefined {
  const known = ORIGIN_SIZES.find((e) => e.size === size);
  if (known) return known;
  const dims = parseSize(size);
  return dims && entry(`${dims.width}x${dims.height}`, undefined, ratioLabel(dims.width, dims.height));
}

/** A size as the request schema writes it ("1536x864" for " 1536X864"); `auto` and junk as they are. */
export function sizeAsSent(size: string): string {
  return describeSize(size)?.size ?? size;
}

/** OpenAI's 4K ceiling: longest edge 3840 and at most 3840x2160 pixels. */
const MAX_EDGE = 3840;
const MAX_PIXELS = 3840 * 2160;

/**
 * OpenAI's pattern rule for a custom size: both sides multiples of 16, ratio within 1:3..3:1,
 * at most 3840x2160 in area and edge. No minimum area: gateways differ and small sizes are cheap tests.
 */
export function isValidCustomSize(s: string): boolean {
  const dims = parseSize(s);
  if (!dims) return false;
  const { width, height } = dims;
  return (
    width % 16 === 0 &&
    height % 16 === 0 &&
    Math.max(width, height) / Math.min(width, height) <= 3 &&
    Math.max(width, height) <= MAX_EDGE &&
    width * height <= MAX_PIXELS
  );
}

/** USD per image by model and tier, from the provider's price pages (2026-05); a user setting may override. */
export type PriceTable = Readonly<Record<string, Partial<Record<Tier, number>>>>;

export const PRICES_PER_IMAGE: PriceTable = {
  'gpt-image-2-origin': { '1K': 0.01836, '2K': 0.05576, '4K': 0.11424 },
};

/** USD per 1M tokens, as OpenAI bills its GPT image models. */
export interface TokenPrice {
  textInput: number;
  imageInput: number;
  imageOutput: number;
}
export type TokenPriceTable = Readonly<Record<string, TokenPrice>>;

/**
 * OpenAI's list prices (USD per 1M tokens, 2026-11). gpt-image-2 has none here (no OpenAI page was found and
 * other sites' figures disagree), nor the provider's own models, which bill per image: those show the estimate only.
 */
export const TOKEN_PRICES: TokenPriceTable = {
  'gpt-image-1': { textInput: 5, imageInput: 10, imageOutput: 40 },
  'gpt-image-1-mini': { textInput: 2, imageInput: 2.5, imageOutput: 8 },
  'gpt-image-1.5': { textInput: 5, imageInput: 8, imageOutput: 32 },
};

/**
 * Image output tokens of one image by quality and size, from OpenAI's image generation guide for gpt-image-1
 * (gpt-image-1.5's per-image prices are the same counts at its token price). Other models' counts are not known.
 */
const OUTPUT_TOKENS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  low: { '1024x1024': 272, '1024x1536': 408, '1536x1024': 400 },
  medium: { '1024x1024': 1056, '1024x1536': 1584, '1536x1024': 1568 },
  high: { '1024x1024': 4160, '1024x1536': 6240, '1536x1024': 6208 },
};
const COUNTED_MODELS = ['gpt-image-1', 'gpt-image-1.5'];

/** Image output tokens of one image of OpenAI's table, or undefined for a quality (`auto` too) or size it has not. */
export function imageOutputTokens(size: string, quality: string | undefined): number | undefined {
  const bySize = quality !== undefined && Object.hasOwn(OUTPUT_TOKENS, quality) ? OUTPUT_TOKENS[quality]! : {};
  return Object.hasOwn(bySize, size) ? bySize[size] : undefined;
}

/** Output tokens of n images, or undefined when the model, quality or size has no known count. */
function outputTokens(model: string, size: string, n: number, quality: string | undefined): number | undefined {
  const one = COUNTED_MODELS.includes(model) ? imageOutputTokens(size, quality) : undefined;
  return one === undefined ? undefined : one * n;
}

/** Image output tokens each partial image adds to the bill (OpenAI's GPT image models). */
export const PARTIAL_IMAGE_TOKENS = 100;

const usd = (value: number) => Math.round(value * 1e5) / 1e5;

/** USD the partial images of n images add: 0 without previews, undefined when the model has no token price. */
export function previewCost(model: string, n: number, partialImages = 0): number | undefined {
  if (!(partialImages > 0)) return 0;
  const price = TOKEN_PRICES[model]?.imageOutput;
  return price === undefined ? undefined : usd((n * partialImages * PARTIAL_IMAGE_TOKENS * price) / 1e6);
}

/**
 * Estimated USD for n images (and their partial images, where the model's token price is known), or
 * undefined when the model, size or tier has no known price. A per-image price comes first; a token-billed
 * model is estimated from its image output tokens (known for some qualities and sizes), without the input
 * tokens, which only the answer's `usage` tells.
 */
export function estimateCost(
  model: string,
  size: string,
  n: number,
  prices: PriceTable = PRICES_PER_IMAGE,
  partialImages = 0,
  quality?: string,
): number | undefined {
  const tier = getModel(model).sizes.find((e) => e.size === size)?.tier;
  const price = tier && prices[model]?.[tier];
  const previews = previewCost(model, n, partialImages) ?? 0;
  if (price !== undefined) return usd(price * n + previews);
  const tokens = outputTokens(model, size, n, quality);
  const perToken = TOKEN_PRICES[model]?.imageOutput;
  return tokens === undefined || perToken === undefined ? undefined : usd((tokens * perToken) / 1e6 + previews);
}
