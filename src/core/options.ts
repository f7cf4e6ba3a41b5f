// The one definition of a request's options: their values, bounds and defaults. The settings check
// (src/config/settings.ts), the gptImage.generate arguments, the chat tool's input, the studio's
// form message (src/protocol.ts) and the per-model fitting below all derive from it, and a unit test
// holds package.json's configuration to it. Adding an option starts here; then the catalog says which
// model takes it (ModelInfo.takes), request.ts checks and sends it, and settings, the studio form
// (src/protocol.ts, webview/form.ts), the chat tool's inputSchema and the command's arguments follow.
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

/** `transparent` needs an output format with an alpha channel (png, webp). */
export const BACKGROUNDS = ['auto', 'transparent', 'opaque'] as const;
export type Background = (typeof BACKGROUNDS)[number];
/** Content moderation of a generation: `low` is less strict. */
export const MODERATIONS = ['auto', 'low'] as const;
export type Moderation = (typeof MODERATIONS)[number];
/** How closely an edit keeps the reference images' features. */
export const INPUT_FIDELITIES = ['low', 'high'] as const;
export type InputFidelity = (typeof INPUT_FIDELITIES)[number];
/** Partial images streamed while an image is made (`off`: none, no stream). */
export const PREVIEWS = ['off', '1', '2', '3'] as const;
export type Previews = (typeof PREVIEWS)[number];

/** The formats `output_compression` applies to; with png it is left out. */
export const COMPRESSIBLE: readonly ImageFormat[] = ['jpeg', 'webp'];
/** The formats with transparency, which `background: transparent` needs. */
export const WITH_ALPHA: readonly ImageFormat[] = ['png', 'webp'];

/** The API's own defaults: a request leaves these out rather than sending them. */
export const API_DEFAULTS = { background: 'auto', moderation: 'auto', outputCompression: 100, inputFidelity: 'low' } as const;

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
  background: z.enum(BACKGROUNDS),
  moderation: z.enum(MODERATIONS),
  outputCompression: z.int().check(z.minimum(0), z.maximum(100)),
  inputFidelity: z.enum(INPUT_FIDELITIES),
  previews: z.enum(PREVIEWS),
  /** A stable id of the end user, sent as `user`; empty: not sent. No control characters, so it stays one plain line. */
  // eslint-disable-next-line no-control-regex -- refusing them is the point
  user: z.string().check(z.maxLength(64), z.regex(/^[^\u0000-\u001f\u007f]*$/)),
};

/**
 * The same options as a caller's arguments (the command's, the chat tool's): the enumerations exact,
 * models, sizes, qualities and counts only in shape, left to the request check, whose messages name
 * the chosen model's own values. Not here: input fidelity (edits only, which neither caller makes),
 * previews (nobody watches a caller's) and the user id (the user's own setting).
 */
export const argument = {
  model: z.string(),
  size: z.string(),
  quality: z.string(),
  outputFormat: option.outputFormat,
  n: z.int(),
  insert: option.insert,
  mode: option.mode,
  background: option.background,
  moderation: option.moderation,
  outputCompression: option.outputCompression,
} satisfies Partial<Record<keyof typeof option, unknown>>;

/** What a request uses when nobody chose otherwise; package.json's setting defaults must equal these. */
export const OPTION_DEFAULTS = {
  model: 'gpt-image-2-origin',
  size: '1024x1024',
  quality: 'medium',
  outputFormat: 'png',
  n: 1,
  insert: 'auto',
  mode: 'sync',
  ...API_DEFAULTS,
  previews: '2',
  user: '',
} as const satisfies { [K in keyof typeof option]: z.infer<(typeof option)[K]> };

/** The options a model may take or leave. */
export interface RequestOptions {
  quality?: string;
  outputFormat?: ImageFormat;
  n?: number;
  background?: Background;
  moderation?: Moderation;
  outputCompression?: number;
  inputFidelity?: InputFidelity;
  user?: string;
  /** Partial images streamed per image (the wire's `partial_images`, sent with `stream: true`); undefined: no stream. */
  partialImages?: number;
}

/** The options beyond quality, format and count, each taken only by the models whose catalog entry names it. */
export const EXTRA_OPTIONS = ['background', 'moderation', 'outputCompression', 'inputFidelity', 'user'] as const;
export type ExtraOption = (typeof EXTRA_OPTIONS)[number];

const EXTRA_NAMES: Record<ExtraOption, string> = {
  background: 'background',
  moderation: 'moderation',
  outputCompression: 'output compression',
  inputFidelity: 'input fidelity',
  user: 'user id',
};

/** What a caller chose outright (a command's arguments, a chat tool's input). */
export type Chosen = Omit<RequestOptions, 'partialImages'>;
/** What settings or the studio's form would like; previews as the setting names them. */
export type Preferred = Chosen & { previews?: Previews };

/** What kind of call the options are fitted for. */
export interface FitContext {
  /** An edit takes input fidelity and no moderation; a generation the other way round. */
  edit?: boolean;
  /** A polled task (`async`) never streams. */
  mode?: (typeof MODES)[number];
  /** `gptImage.streamingModels`: models that stream although the catalog does not say so. */
  streamingModels?: readonly string[];
}

export interface Dropped {
  field: keyof RequestOptions | 'previews';
  value: string | number;
  /** Why, in a few words ("dall-e-3 takes no output format"). */
  reason: string;
}

export interface Fitted {
  options: RequestOptions;
  /** What was left out or capped, for the log. */
  dropped: Dropped[];
}

/** Whether a model streams partial images: the catalog's say, or the user's `gptImage.streamingModels` for the models it leaves open. */
export function streams(model: ModelInfo, streamingModels: readonly string[] = []): boolean {
  return model.streaming === 'always' || (model.streaming === 'whenNamed' && streamingModels.includes(model.id));
}

/**
 * Fits options to what `model` takes. `chosen` values (a command's arguments, a chat tool's input)
 * are kept for the request check to judge, so a wrong one is refused with the allowed values;
 * `preferred` ones (settings, the studio's form) are left out or capped where the model does not
 * take them. A model with no output formats gets none either way: it always answers PNG.
 * The other options (EXTRA_OPTIONS, previews) are left out wherever they came from when the model does
 * not take them, so nothing is sent only to fail; a value equal to the API's default is not sent at all.
 */
export function fitRequest(model: ModelInfo, chosen: Chosen, preferred: Preferred = {}, context: FitContext = {}): Fitted {
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

  for (const field of EXTRA_OPTIONS) {
    const value = chosen[field] ?? preferred[field];
    if (value === undefined || value === '' || value === API_DEFAULTS[field as keyof typeof API_DEFAULTS]) continue;
    // The other kind of call's option (a generation's moderation setting during an edit) is not this request's: no note.
    if ((field === 'moderation' && context.edit) || (field === 'inputFidelity' && !context.edit)) continue;
    const reason = !model.takes.includes(field)
      ? `${model.id} takes no ${EXTRA_NAMES[field]}`
      : context.mode === 'async'
        ? `a polled task takes no ${EXTRA_NAMES[field]}`
        : field === 'outputCompression' && !(options.outputFormat && COMPRESSIBLE.includes(options.outputFormat))
          ? `${options.outputFormat ?? 'the default format'} takes no compression; jpeg and webp do`
          : undefined;
    // The user id is the user's, not the log's: only that one was set.
    if (reason) dropped.push({ field, value: field === 'user' ? '(set)' : value, reason });
    else Object.assign(options, { [field]: value });
  }

  const previews = preferred.previews;
  if (previews !== undefined && previews !== 'off') {
    const reason =
      context.mode === 'async'
        ? 'a polled task does not stream'
        : !streams(model, context.streamingModels)
          ? `${model.id} does not stream${model.streaming === 'whenNamed' ? ' unless gptImage.streamingModels names it' : ''}`
          : undefined;
    if (reason) dropped.push({ field: 'previews', value: previews, reason });
    else options.partialImages = Number(previews);
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
/**
 * A request as a polled task sends it: the provider's task endpoint documents only model, prompt, size, quality,
 * n and output format, and a task never streams. For a request fitted for a synchronous call ("Retry as Async
 * Task", More like this in async mode); what it leaves out is said, as fitRequest says it.
 */
export function asTaskRequest<R extends RequestOptions>(request: R): { request: R; dropped: Dropped[] } {
  const task = { ...request };
  const dropped: Dropped[] = [];
  for (const field of EXTRA_OPTIONS) {
    const value = task[field];
    if (value === undefined) continue;
    delete task[field];
    dropped.push({ field, value: field === 'user' ? '(set)' : value, reason: `a polled task takes no ${EXTRA_NAMES[field]}` });
  }
  if (task.partialImages !== undefined) {
    dropped.push({ field: 'previews', value: String(task.partialImages), reason: 'a polled task does not stream' });
    delete task.partialImages;
  }
  return { request: task, dropped };
}

export function describeDropped(dropped: readonly Dropped[]): string {
  return `left out ${dropped.map((d) => `${d.field}=${d.value} (${d.reason})`).join(', ')}`;
}
