// The one definition of a request's options: their values, bounds and defaults. The settings check
// (src/config/settings.ts), the gptImage.generate arguments, the chat tool's input, the studio's
// form message (src/protocol.ts) and the per-model fitting below all derive from it, and a unit test
// holds package.json's configuration to it. Adding an option starts here.
// zod's mini build: the studio webview bundles this file too.
import * as z from 'zod/v4-mini';
import type { ModelInfo } from './catalog';

export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export type ImageFormat = (typeof OUTPUT_FORMATS)[number];

/** How a link is written at the cursor: by the document's language, or always one style, or not at all. */
export const INSERT_STYLES = ['auto', 'markdown', 'html', 'path', 'none'] as const;
export type InsertStyle = (typeof INSERT_STYLES)[number];

/** `sync`: one request; `async`: a task polled until it ends (for gateways that cut long requests). */
export const MODES = ['sync', 'async'] as const;

/** The most images any catalog model makes per request (each model's own limit is `maxN`). */
export const MAX_IMAGES = 10;

/** The longest prompt any catalog model takes; longer ones are refused before they reach a model check. */
export const MAX_PROMPT = 32000;

/** Each option's shape, before any model's limits (request.ts checks those). */
export const option = {
  model: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._:@+/-]{0,127}$/)),
  size: z.string().check(z.regex(/^(auto|[1-9]\d{1,4}x[1-9]\d{1,4})$/)),
  quality: z.string().check(z.regex(/^[a-z]{1,16}$/)),
  outputFormat: z.enum(OUTPUT_FORMATS),
  n: z.int().check(z.minimum(1), z.maximum(MAX_IMAGES)),
  insert: z.enum(INSERT_STYLES),
  mode: z.enum(MODES),
};

/**
 * The same options as a caller's arguments (the command's, the chat tool's): the enumerations exact,
 * models, sizes, qualities and counts only in shape, left to the request check, whose messages name
 * the chosen model's own values.
 */
export const argument = {
  model: z.string(),
  size: z.string(),
  quality: z.string(),
  outputFormat: option.outputFormat,
  n: z.int(),
  insert: option.insert,
  mode: option.mode,
} satisfies Record<keyof typeof option, unknown>;

/** What a request uses when nobody chose otherwise; package.json's setting defaults must equal these. */
export const OPTION_DEFAULTS = {
  model: 'gpt-image-2-origin',
  size: '1024x1024',
  quality: 'medium',
  outputFormat: 'png',
  n: 1,
  insert: 'auto',
  mode: 'sync',
} as const satisfies { [K in keyof typeof option]: z.infer<(typeof option)[K]> };

/** The options a model may take or leave. */
export interface RequestOptions {
  quality?: string;
  outputFormat?: ImageFormat;
  n?: number;
}

export interface Dropped {
  field: keyof RequestOptions;
  value: string | number;
  /** Why, in a few words ("dall-e-3 takes no output format"). */
  reason: string;
}

export interface Fitted {
  options: RequestOptions;
  /** What was left out or capped, for the log. */
  dropped: Dropped[];
}

/**
 * Fits options to what `model` takes. `chosen` values (a command's arguments, a chat tool's input)
 * are kept for the request check to judge, so a wrong one is refused with the allowed values;
 * `preferred` ones (settings, the studio's form) are left out or capped where the model does not
 * take them. A model with no output formats gets none either way: it always answers PNG.
 */
export function fitRequest(model: ModelInfo, chosen: RequestOptions, preferred: RequestOptions = {}): Fitted {
  const dropped: Dropped[] = [];
  const options: RequestOptions = {};

  const format = chosen.outputFormat ?? preferred.outputFormat;
  if (model.formats.length) options.outputFormat = format;
  else if (format !== undefined) dropped.push({ field: 'outputFormat', value: format, reason: `${model.id} takes no output format` });

  if (chosen.quality !== undefined) options.quality = chosen.quality;
  else if (preferred.quality !== undefined && model.qualities.includes(preferred.quality)) options.quality = preferred.quality;
  else if (preferred.quality !== undefined) {
    const takes = model.qualities.length ? `takes ${model.qualities.join(', ')}` : 'takes no quality';
    dropped.push({ field: 'quality', value: preferred.quality, reason: `${model.id} ${takes}` });
  }

  if (chosen.n !== undefined) options.n = chosen.n;
  else {
    const wanted = preferred.n ?? 1;
    options.n = Math.min(wanted, model.maxN);
    if (options.n < wanted) dropped.push({ field: 'n', value: wanted, reason: `${model.id} makes at most ${model.maxN}` });
  }
  return { options, dropped };
}

/** A zod issue in a caller's arguments as one line: "unknown argument apiKey", "n: expected int". */
export function describeIssue(issue: { code: string; path: PropertyKey[]; message: string; keys?: string[] } | undefined): string {
  if (!issue) return 'invalid input';
  if (issue.code === 'unrecognized_keys' && issue.keys) return `unknown argument ${issue.keys.join(', ')}`;
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

/** One log line for what fitting left out, e.g. `left out quality=hd (dall-e-2 takes no quality)`. */
export function describeDropped(dropped: readonly Dropped[]): string {
  return `left out ${dropped.map((d) => `${d.field}=${d.value} (${d.reason})`).join(', ')}`;
}
