// The messages between the studio webview and the extension host, as zod schemas both sides check.
// zod's mini build keeps the webview bundle small; every object is strict, so extra fields fail.
import * as z from 'zod/v4-mini';
import { MAX_MASK_PNG_BYTES, MAX_REFERENCES } from './core/editLimits';
import { pricesSchema } from './core/cost';
import { MAX_PROMPT, option, OPTION_DEFAULTS } from './core/options';
import { CONTROL } from './core/text';

export { pricesSchema, type Prices } from './core/cost';
export { MAX_PROMPT } from './core/options';
export { cleanText } from './core/text';
export const MAX_QUERY = 500;
export const MAX_URI = 4096;
export const PAGE_SIZE = 50;
/** How much of a parent's prompt an entry shows ("refined from …"). */
export const MAX_PARENT_PROMPT = 80;
/** How long a side's label in a comparison is ("Before", or the start of a prompt). */
export const MAX_COMPARE_LABEL = 60;
/** Base64 of a mask PNG at the 4 MB mask limit; the flow refuses anything at or over 4 MB itself. */
export const MAX_MASK_BASE64 = Math.ceil(MAX_MASK_PNG_BYTES / 3) * 4;

const text = (max: number) =>
  z.string().check(
    z.maxLength(max),
    z.refine((s) => !CONTROL.test(s), 'control character'),
  );
/** Ids the webview or host make up: short, with no markup or path characters. */
const id = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));
const modelId = option.model;

/** True for a URI string with a scheme and no `.`/`..` segment, raw or percent-encoded. */
export function isSafeUri(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:[^\s<>"'`\\]*$/i.test(value)) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return false;
  }
  if (CONTROL.test(decoded) || decoded.includes('\\')) return false;
  return !decoded.split(/[/?#]/).some((segment) => segment === '..' || segment === '.');
}

/** A file as the host named it in a history entry: a URI string, never a path the host would build on. */
const fileUri = z.string().check(z.maxLength(MAX_URI), z.refine(isSafeUri, 'unsafe uri'));

// A model without qualities leaves the form's quality empty. A form saved before the later options existed takes their defaults.
export const formSchema = z.strictObject({
  prompt: text(MAX_PROMPT),
  model: option.model,
  size: option.size,
  quality: z.union([option.quality, z.literal('')]),
  outputFormat: option.outputFormat,
  n: option.n,
  background: z._default(option.background, OPTION_DEFAULTS.background),
  moderation: z._default(option.moderation, OPTION_DEFAULTS.moderation),
  outputCompression: z._default(option.outputCompression, OPTION_DEFAULTS.outputCompression),
  inputFidelity: z._default(option.inputFidelity, OPTION_DEFAULTS.inputFidelity),
  previews: z._default(option.previews, OPTION_DEFAULTS.previews),
});
export type FormState = z.infer<typeof formSchema>;

/**
 * Counts the form's changes, the page's and the host's: of two saved copies (the page's view state, the host's),
 * the higher revision is the newer. A count, not a time: the page and the host may run on different machines.
 */
export const formRevision = z.int().check(z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER));

/**
 * The form a (re)loaded page starts from: its own saved copy when that is at least as new as the host's (a change
 * typed just before a reload may not have reached the host), else the host's (a browser workbench saves the page's
 * copy every few seconds at best, and the host may have replaced the form since). A copy that fails its schema
 * (another version's, or tampered with) counts for nothing.
 */
export function newerForm(
  page: { form?: unknown; revision?: unknown },
  host: { form: FormState; revision: number },
): { form: FormState; revision: number; fromPage: boolean } {
  const form = formSchema.safeParse(page.form);
  const revision = formRevision.safeParse(page.revision);
  return form.success && revision.success && revision.data >= host.revision
    ? { form: form.data, revision: revision.data, fromPage: true }
    : { ...host, fromPage: false };
}

/** A mask PNG as standard, padded base64 (what btoa writes). */
const maskBase64 = z.string().check(
  z.minLength(4),
  z.maxLength(MAX_MASK_BASE64),
  z.regex(/^[A-Za-z0-9+/]+={0,2}$/),
  z.refine((s) => s.length % 4 === 0, 'base64 length'),
);
const referenceUris = z.array(fileUri).check(z.minLength(1), z.maxLength(MAX_REFERENCES));

const withFile = <T extends string>(type: T) => z.strictObject({ type: z.literal(type), file: fileUri });

export const toHostSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('generate'), jobId: id, options: formSchema }),
  z.strictObject({ type: z.literal('cancel'), jobId: id }),
  z.strictObject({ type: z.literal('useSelection') }),
  /** Improve prompt: the host asks the user's chat model and answers with `improvedPrompt`; nothing is generated. */
  z.strictObject({ type: z.literal('improvePrompt'), prompt: text(MAX_PROMPT), model: modelId }),
  withFile('insert'),
  withFile('open'),
  withFile('reveal'),
  withFile('copyMarkdown'),
  withFile('copyPath'),
  withFile('delete'),
  z.strictObject({ type: z.literal('reusePrompt'), entryId: id }),
  /** A result to edit next: the host takes it as the reference only if a history entry names it and it is in the workspace. */
  withFile('refine'),
  /** The entry's recorded request again, as a new job. */
  z.strictObject({ type: z.literal('moreLikeThis'), jobId: id, entryId: id }),
  /** Show Generation Info on a result: the host runs the command only on a workspace file a history entry names. */
  withFile('showInfo'),
  /** The result beside the image it was refined from; the same rules as `refine` hold for both files. */
  withFile('compareParent'),
  /** Two results side by side, in the order picked. */
  z.strictObject({
    type: z.literal('compare'),
    files: z.array(fileUri).check(
      z.length(2),
      z.refine((f) => f[0] !== f[1], 'two different files'),
    ),
  }),
  z.strictObject({ type: z.literal('refreshModels') }),
  z.strictObject({ type: z.literal('saveForm'), form: formSchema, revision: formRevision }),
  z.strictObject({ type: z.literal('search'), query: text(MAX_QUERY) }),
  z.strictObject({ type: z.literal('loadMore') }),
  /** The host shows its own open dialog; the page never names a file it was not given. */
  z.strictObject({ type: z.literal('pickReferences') }),
  /** Files dragged from the Explorer; the host takes only file: URIs inside a workspace folder. */
  z.strictObject({ type: z.literal('dropReferences'), uris: referenceUris }),
  z.strictObject({ type: z.literal('removeReference'), uri: fileUri }),
  /** An edit of reference images the host accepted, in order; the mask (a PNG) applies to the first. */
  z.strictObject({ type: z.literal('edit'), jobId: id, options: formSchema, images: referenceUris, mask: z.optional(maskBase64) }),
]);
export type ToHost = z.infer<typeof toHostSchema>;

/** An image as the webview shows it: `src` is the host's asWebviewUri, `uri` is what actions send back. */
export const fileViewSchema = z.strictObject({
  uri: fileUri,
  src: z.string().check(z.maxLength(MAX_URI * 2)),
  name: text(1024),
  width: z.number(),
  height: z.number(),
  missing: z.boolean(),
});
export type FileView = z.infer<typeof fileViewSchema>;

/** USD as the page shows it: spending is summed over at most the history's 5,000 entries. */
const usd = z.number().check(z.nonnegative(), z.maximum(1e10));
/** At most this many gateways are listed in the spending summary (most spent first). */
export const MAX_GATEWAYS = 20;

/** What an entry cost: the estimate made before sending, and the actual from the answer's usage. */
export const entryCostSchema = z.strictObject({ estimate: z.optional(usd), actual: z.optional(usd) });
export type EntryCost = z.infer<typeof entryCostSchema>;

const spentSchema = z.strictObject({ usd, estimated: usd, unpriced: z.int().check(z.nonnegative()) });
/** Spending per gateway (src/core/spending.ts); `gateway` is undefined for entries recorded before their host was. */
export const spentRowSchema = z.strictObject({
  gateway: z.optional(text(253)),
  today: spentSchema,
  week: spentSchema,
  all: spentSchema,
});
export type SpentRow = z.infer<typeof spentRowSchema>;

export const entryViewSchema = z.strictObject({
  id,
  time: z.number(),
  prompt: text(MAX_PROMPT),
  model: text(256),
  size: z.optional(text(64)),
  quality: z.optional(text(64)),
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  error: z.optional(text(4096)),
  files: z.array(fileViewSchema).check(z.maxLength(10)),
  /** An edit, with the names of its source images. */
  edit: z.optional(z.strictObject({ sources: z.array(text(1024)).check(z.maxLength(MAX_REFERENCES)), mask: z.boolean() })),
  /** The entry this one refined, with the start of its prompt. */
  parent: z.optional(z.strictObject({ id, prompt: text(MAX_PARENT_PROMPT) })),
  cost: z.optional(entryCostSchema),
});
export type EntryView = z.infer<typeof entryViewSchema>;

/** The history entry a finished job saved, so its card acts on it (More like this, Compare with parent). */
const jobEntrySchema = z.strictObject({ id, parent: z.boolean() });

/** One side of a comparison: the image, with its label. */
const compareSideSchema = z.strictObject({ file: fileViewSchema, label: text(MAX_COMPARE_LABEL) });
/** Two images under one slider: `before` lies on top, clipped at the slider. */
export const compareViewSchema = z.strictObject({ before: compareSideSchema, after: compareSideSchema });
export type CompareView = z.infer<typeof compareViewSchema>;

/** A generation started from this view, as `init` replays it after the view was hidden or reloaded. */
export const jobViewSchema = z.strictObject({
  jobId: id,
  prompt: text(MAX_PROMPT),
  started: z.number(),
  state: z.enum(['running', 'done', 'failed']),
  message: text(4096),
  files: z.array(fileViewSchema).check(z.maxLength(10)),
  entry: z.optional(jobEntrySchema),
  /** A finished job's estimate and actual cost, as its history entry has them. */
  cost: z.optional(entryCostSchema),
});
export type JobView = z.infer<typeof jobViewSchema>;

/** A reference image the host accepted: `uri` names it in `edit`, `src` shows it, the size is the file's own. */
export const referenceViewSchema = z.strictObject({
  uri: fileUri,
  src: z.string().check(z.maxLength(MAX_URI * 2)),
  name: text(1024),
  width: z.int().check(z.positive()),
  height: z.int().check(z.positive()),
});
export type ReferenceView = z.infer<typeof referenceViewSchema>;

/** Bytes of one preview: a partial image is at most the size of the final one (a 4K PNG). */
export const MAX_PREVIEW_BYTES = 48 * 1024 * 1024;

/**
 * A partial image of a running job, as bytes: the page shows it through a blob: URL until the next one
 * replaces it, and keeps none (they are never saved). `index` counts the previews received, `total` is
 * how many were asked for (0 when not known).
 */
export const previewSchema = z.strictObject({
  bytes: z.instanceof(Uint8Array).check(z.refine((b) => b.byteLength > 0 && b.byteLength <= MAX_PREVIEW_BYTES, 'preview size')),
  format: option.outputFormat,
  width: z.int().check(z.positive()),
  height: z.int().check(z.positive()),
  index: z.int().check(z.nonnegative()),
  total: z.int().check(z.nonnegative()),
});
export type PreviewView = z.infer<typeof previewSchema>;

const historyPage = {
  entries: z.array(entryViewSchema).check(z.maxLength(PAGE_SIZE)),
  total: z.int().check(z.nonnegative()),
  /** 0 replaces the list; otherwise the page is appended. */
  offset: z.int().check(z.nonnegative()),
  query: text(MAX_QUERY),
  /** Spending over the whole history (not only the search's), per gateway. */
  spent: z.optional(z.array(spentRowSchema).check(z.maxLength(MAX_GATEWAYS))),
};

const modelIds = z.array(modelId).check(z.maxLength(500));

/** Everything the page starts from: in the HTML shell (`data-init`), and again as a message when that went stale. */
const initSchema = z.strictObject({
  type: z.literal('init'),
  form: formSchema,
  formRevision,
  /** Ids the gateway listed (GET /v1/models), besides the catalog's own models. */
  models: modelIds,
  prices: pricesSchema,
  /** The user's `gptImage.streamingModels`, so the form offers previews where the host will ask for them. */
  streamingModels: z.optional(modelIds),
  history: z.strictObject(historyPage),
  jobs: z.array(jobViewSchema).check(z.maxLength(100)),
});
export type InitMessage = z.infer<typeof initSchema>;

export const toWebviewSchema = z.discriminatedUnion('type', [
  initSchema,
  z.strictObject({ type: z.literal('jobProgress'), jobId: id, message: text(4096), elapsed: z.number() }),
  z.strictObject({ type: z.literal('jobPreview'), jobId: id, preview: previewSchema }),
  z.strictObject({
    type: z.literal('jobDone'),
    jobId: id,
    files: z.array(fileViewSchema).check(z.maxLength(10)),
    cost: z.optional(entryCostSchema),
    entry: z.optional(jobEntrySchema),
  }),
  z.strictObject({ type: z.literal('jobFailed'), jobId: id, message: text(4096) }),
  z.strictObject({ type: z.literal('history'), ...historyPage }),
  z.strictObject({ type: z.literal('selection'), text: text(MAX_PROMPT) }),
  /** Whether a chat model is there for Improve prompt (the button shows only then). */
  z.strictObject({ type: z.literal('promptHelp'), available: z.boolean() }),
  /** The rewrite for the prompt box, to read and send by hand; after a failure, why (the prompt stays), after a cancel neither. */
  z.strictObject({ type: z.literal('improvedPrompt'), prompt: z.optional(text(MAX_PROMPT)), problem: z.optional(text(4096)) }),
  z.strictObject({ type: z.literal('models'), ids: modelIds }),
  /** gptImage.model changed (Choose Model): the form follows, keeping the prompt being typed. */
  z.strictObject({ type: z.literal('model'), id: modelId, revision: formRevision }),
  /** Replaces the form (Use prompt again). */
  z.strictObject({ type: z.literal('form'), form: formSchema, revision: formRevision }),
  /** The two images the page asked to compare, as the host accepted them. */
  z.strictObject({ type: z.literal('compare'), compare: compareViewSchema }),
  /** A file was moved to the trash: its thumbnails go. */
  z.strictObject({ type: z.literal('deleted'), file: fileUri }),
  /** Files of the last page sent that are gone from disk, found after the page was shown. */
  z.strictObject({ type: z.literal('missingFiles'), files: z.array(fileUri).check(z.maxLength(PAGE_SIZE * 10)) }),
  /** The whole list of accepted reference images, and why the last files offered were refused, if they were. */
  z.strictObject({
    type: z.literal('references'),
    references: z.array(referenceViewSchema).check(z.maxLength(MAX_REFERENCES)),
    problem: z.optional(text(4096)),
  }),
]);
export type ToWebview = z.infer<typeof toWebviewSchema>;

/** The preview panel's messages: the page says it is ready; the host sends what to show, each replacing the last. */
export const fromPreviewSchema = z.strictObject({ type: z.literal('ready') });
export const toPreviewSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('preview'), preview: previewSchema, caption: text(MAX_PROMPT + 200) }),
  /** The saved images, by webview URI. */
  z.strictObject({ type: z.literal('final'), files: z.array(fileViewSchema).check(z.maxLength(10)), caption: text(4096) }),
  /** The run ended without images: the preview is dropped and the caption says so. */
  z.strictObject({ type: z.literal('ended'), caption: text(4096) }),
  /** An edit's source and result under one slider (the compare panel); the page has no text table of its own. */
  z.strictObject({ type: z.literal('compare'), compare: compareViewSchema, caption: text(4096), sliderLabel: text(200) }),
]);
export type ToPreview = z.infer<typeof toPreviewSchema>;

export function parseToPreview(raw: unknown): ToPreview | undefined {
  const r = toPreviewSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}

/** Parses one message; `undefined` for anything that is not exactly a known message. */
export function parseToHost(raw: unknown): ToHost | undefined {
  const r = toHostSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}

export function parseToWebview(raw: unknown): ToWebview | undefined {
  const r = toWebviewSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}

/**
 * The `init` the HTML shell carries as JSON (the attribute's text, already unescaped by the browser), checked with
 * the same schema as the message; `undefined` when it is missing or invalid, and the page then waits for the message.
 */
export function parseShellInit(json: string | undefined): InitMessage | undefined {
  if (!json) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  const r = initSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}

/**
 * The URIs of a drop's `text/uri-list` (RFC 2483: one per line, `#` lines are comments), keeping
 * only those the protocol would carry, without repeats and at most MAX_REFERENCES.
 */
export function parseUriList(list: string): string[] {
  const uris = list
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && line.length <= MAX_URI && isSafeUri(line));
  return [...new Set(uris)].slice(0, MAX_REFERENCES);
}

/** A short description of why a message was refused, for the log (never the message's content). */
export function describeInvalid(raw: unknown): string {
  const type =
    typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string'
      ? (raw as { type: string }).type
      : typeof raw;
  const r = toHostSchema.safeParse(raw);
  const issue = r.success ? undefined : r.error.issues[0];
  return `${JSON.stringify(type.slice(0, 40))}${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`;
}
