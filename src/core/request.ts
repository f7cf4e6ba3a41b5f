// What a generation request may contain, checked against the chosen model, and its wire form.
// zod's mini build, as elsewhere in the core: one copy of zod in the bundle.
import * as z from 'zod/v4-mini';
import { getModel, isValidCustomSize, sizeAsSent, type ModelInfo } from './catalog';
import { message, type FieldFailure, type Message } from './messages';
import { API_DEFAULTS, BACKGROUNDS, COMPRESSIBLE, INPUT_FIDELITIES, MODERATIONS, option, WITH_ALPHA, type RequestOptions } from './options';

/** A request as fitRequest leaves it (src/core/options.ts): only what the model takes. */
export interface GenerateRequest extends RequestOptions {
  model: string;
  prompt: string;
  size?: string;
}

export type Validation = { ok: true; value: GenerateRequest } | FieldFailure;

/** "a, b, c, …" so long size lists stay readable in one line. */
function listOf(values: readonly string[], max = 6): string {
  return values.length > max ? `${values.slice(0, max).join(', ')}, …` : values.join(', ');
}

function allowedSizes(model: ModelInfo): string {
  return listOf([...(model.allowsAuto ? ['auto'] : []), ...model.sizes.map((s) => s.size)]);
}

function sizeAllowed(model: ModelInfo, size: string): boolean {
  if (size === 'auto') return model.allowsAuto;
  return model.sizes.some((s) => s.size === size) || (model.allowsCustomSize && isValidCustomSize(size));
}

// zod carries an issue's text as a string, so each message travels through it as its JSON.
const says = (m: Message): string => JSON.stringify(m);
/** A refinement's message made from the value it refused. */
const saying = (text: (value: string) => string) => ({ error: (issue: { input: unknown }) => text(issue.input as string) });

function buildSchema(model: ModelInfo, id: string) {
  const formats = model.formats as readonly string[];
  const nNotWhole = says(message('nNotWhole', { max: model.maxN }));
  const text = (m: Message) => z.string({ error: says(m) });
  return z.object({
    model: text(message('modelRequired', {})).check(z.trim(), z.minLength(1, says(message('modelRequired', {})))),
    prompt: text(message('promptRequired', {})).check(
      z.refine((p) => p.trim().length > 0, says(message('promptRequired', {}))),
      z.refine(
        (p) => p.length <= model.promptLimit,
        saying((p) => says(message('promptTooLong', { length: p.length, model: id, limit: model.promptLimit }))),
      ),
    ),
    size: z.optional(
      text(message('sizeNotText', {})).check(
        // Sent as the schema writes it ("1536x864"), however it was typed (" 1536X864", "01536x0864").
        z.overwrite(sizeAsSent),
        z.refine(
          (s) => sizeAllowed(model, s),
          saying((s) =>
            says(message('sizeUnavailable', { size: s, model: id, allowed: allowedSizes(model), custom: model.allowsCustomSize })),
          ),
        ),
      ),
    ),
    quality: z.optional(
      text(message('qualityNotText', {})).check(
        z.refine(
          // A gateway's own model may name its qualities differently, so any is passed on.
          (q) => model.qualities.includes(q) || (!model.known && q.trim().length > 0),
          saying((q) =>
            says(
              model.qualities.length
                ? message('qualityUnavailable', { quality: q, model: id, allowed: listOf(model.qualities) })
                : message('qualityNone', { model: id }),
            ),
          ),
        ),
      ),
    ),
    outputFormat: z.optional(
      text(message('formatNotText', {})).check(
        z.refine(
          (f) => formats.includes(f),
          saying((f) =>
            says(
              formats.length
                ? message('formatUnavailable', { format: f, model: id, allowed: listOf(formats) })
                : message('formatNone', { model: id }),
            ),
          ),
        ),
      ),
    ),
    n: z.optional(
      z
        .int({ error: nNotWhole })
        .check(z.minimum(1, nNotWhole), z.maximum(model.maxN, says(message('nTooMany', { model: id, max: model.maxN })))),
    ),
    // Which model takes these is fitRequest's to decide; here only their shape.
    background: z.optional(z.enum(BACKGROUNDS)),
    moderation: z.optional(z.enum(MODERATIONS)),
    outputCompression: z.optional(z.int().check(z.minimum(0), z.maximum(100))),
    inputFidelity: z.optional(z.enum(INPUT_FIDELITIES)),
    user: z.optional(z.string().check(z.refine((u) => option.user.safeParse(u).success, 'at most 64 characters, no control characters'))),
    partialImages: z.optional(z.int().check(z.minimum(0), z.maximum(3))),
  });
}

type RequestSchema = ReturnType<typeof buildSchema>;

// Building a schema costs far more than a parse, so each is built once. Unknown (gateway) models
// all share one, whose messages name the model by this marker until the real id is put in.
const UNKNOWN_ID = '\u{F0000}model\u{F0000}';
const schemas = new Map<string, RequestSchema>();

function schemaFor(model: ModelInfo): { schema: RequestSchema; shared: boolean } {
  const key = model.known ? model.id : UNKNOWN_ID;
  let schema = schemas.get(key);
  if (!schema) schemas.set(key, (schema = buildSchema(model, key)));
  return { schema, shared: !model.known };
}

/** The message a schema issue carries (zod's own text, should one slip through, names the field as it is). */
function issueMessage(text: string, field: string): Message {
  try {
    return JSON.parse(text) as Message;
  } catch {
    return message('validatorSaid', { issue: `${field}: ${text}` });
  }
}

/** Checks a request against its model's limits; the first problem names the field and what it may be. */
export function validateRequest(req: GenerateRequest): Validation {
  const model = getModel(typeof req?.model === 'string' ? req.model.trim() : '');
  const { schema, shared } = schemaFor(model);
  const parsed = schema.safeParse(req);
  if (parsed.success) return transparencyChecked(parsed.data as GenerateRequest);
  const issue = parsed.error.issues[0];
  const field = String(issue.path[0] ?? 'request');
  // The marker is put in as JSON text, so the id is too (a quote in a gateway's model id stays a quote).
  const text = shared ? issue.message.replaceAll(UNKNOWN_ID, JSON.stringify(model.id).slice(1, -1)) : issue.message;
  return { ok: false, field, error: issueMessage(text, field) };
}

/** A transparent background with JPEG output cannot be made: refused before anything is sent. */
function transparencyChecked(value: GenerateRequest): Validation {
  if (value.background !== 'transparent' || value.outputFormat === undefined || WITH_ALPHA.includes(value.outputFormat)) {
    return { ok: true, value };
  }
  return { ok: false, field: 'background', error: message('transparentNeedsAlpha', { format: value.outputFormat }) };
}

/**
 * Which call a body is for: an edit takes input fidelity and no moderation, a generation the other way round; a task
 * takes only model, prompt, size, quality, n and output format, and never streams.
 */
export type BodyFor = 'generation' | 'edit' | 'task';

/**
 * The body for POST /images/generations (JSON), or the fields of an edit's multipart form: only the fields that
 * are set, none equal to the API's default, compression only with jpeg or webp.
 */
export function toRequestBody(req: GenerateRequest, kind: BodyFor = 'generation'): Record<string, string | number | boolean> {
  const body: Record<string, string | number | boolean> = { model: req.model, prompt: req.prompt };
  if (req.size !== undefined) body.size = req.size;
  if (req.quality !== undefined) body.quality = req.quality;
  if (req.outputFormat !== undefined) body.output_format = req.outputFormat;
  if (req.n !== undefined) body.n = Math.trunc(req.n);
  // The provider's task endpoint documents only the fields above (it is no OpenAI path): nothing else goes to it.
  if (kind === 'task') return body;
  if (req.background !== undefined && req.background !== API_DEFAULTS.background) body.background = req.background;
  if (req.moderation !== undefined && req.moderation !== API_DEFAULTS.moderation && kind !== 'edit') body.moderation = req.moderation;
  const compressible = req.outputFormat !== undefined && COMPRESSIBLE.includes(req.outputFormat);
  if (req.outputCompression !== undefined && req.outputCompression !== API_DEFAULTS.outputCompression && compressible) {
    body.output_compression = Math.trunc(req.outputCompression);
  }
  if (req.inputFidelity !== undefined && req.inputFidelity !== API_DEFAULTS.inputFidelity && kind === 'edit') {
    body.input_fidelity = req.inputFidelity;
  }
  if (req.user) body.user = req.user;
  if (req.partialImages !== undefined) {
    body.stream = true;
    body.partial_images = Math.trunc(req.partialImages);
  }
  return body;
}
