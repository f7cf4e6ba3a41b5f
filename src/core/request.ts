// What a generation request may contain, checked against the chosen model, and its wire form.
import { z } from 'zod';
import { getModel, isValidCustomSize, type ImageFormat, type ModelInfo } from './catalog';

export interface GenerateRequest {
  model: string;
  prompt: string;
  size?: string;
  quality?: string;
  outputFormat?: ImageFormat;
  n?: number;
}

export type Validation = { ok: true; value: GenerateRequest } | { ok: false; field: string; message: string };

/** "a, b, c, …" so long size lists stay readable in one line. */
function listOf(values: readonly string[], max = 6): string {
  return values.length > max ? `${values.slice(0, max).join(', ')}, …` : values.join(', ');
}

function allowedSizes(model: ModelInfo): string {
  const names = [...(model.allowsAuto ? ['auto'] : []), ...model.sizes.map((s) => s.size)];
  const custom = model.allowsCustomSize ? ' or a custom WxH (multiples of 16, ratio up to 3:1, at most 3840x2160)' : '';
  return `${listOf(names)}${custom}`;
}

function sizeAllowed(model: ModelInfo, size: string): boolean {
  if (size === 'auto') return model.allowsAuto;
  return model.sizes.some((s) => s.size === size) || (model.allowsCustomSize && isValidCustomSize(size));
}

function buildSchema(model: ModelInfo, id: string) {
  const formats = model.formats as readonly string[];
  return z.object({
    model: z.string({ message: 'model: a model id is required' }).trim().min(1, 'model: a model id is required'),
    prompt: z
      .string({ message: 'prompt: describe the image in text' })
      .refine((p) => p.trim().length > 0, 'prompt: describe the image in text')
      .refine(
        (p) => p.length <= model.promptLimit,
        (p) => ({ message: `prompt: ${p.length} characters; ${id} takes at most ${model.promptLimit}` }),
      ),
    size: z
      .string({ message: 'size: must be text like 1024x1024' })
      .refine(
        (s) => sizeAllowed(model, s),
        (s) => ({ message: `size: ${s} is not available for ${id}; use ${allowedSizes(model)}` }),
      )
      .optional(),
    quality: z
      .string({ message: 'quality: must be text' })
      .refine(
        // A gateway's own model may name its qualities differently, so any is passed on.
        (q) => model.qualities.includes(q) || (!model.known && q.trim().length > 0),
        (q) => ({
          message: model.qualities.length
            ? `quality: ${q} is not available for ${id}; use ${listOf(model.qualities)}`
            : `quality: ${id} takes no quality; leave it unset`,
        }),
      )
      .optional(),
    outputFormat: z
      .string({ message: 'outputFormat: must be png, jpeg or webp' })
      .refine(
        (f) => formats.includes(f),
        (f) => ({
          message: formats.length
            ? `outputFormat: ${f} is not available for ${id}; use ${listOf(formats)}`
            : `outputFormat: ${id} takes no output format (it returns PNG); leave it unset`,
        }),
      )
      .optional(),
    n: z
      .number({ message: `n: must be a whole number from 1 to ${model.maxN}` })
      .int(`n: must be a whole number from 1 to ${model.maxN}`)
      .min(1, `n: must be a whole number from 1 to ${model.maxN}`)
      .max(model.maxN, `n: ${id} makes at most ${model.maxN} image${model.maxN === 1 ? '' : 's'} per request`)
      .optional(),
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

/** Checks a request against its model's limits; the first problem names the field and what it may be. */
export function validateRequest(req: GenerateRequest): Validation {
  const model = getModel(typeof req?.model === 'string' ? req.model.trim() : '');
  const { schema, shared } = schemaFor(model);
  const parsed = schema.safeParse(req);
  if (parsed.success) return { ok: true, value: parsed.data as GenerateRequest };
  const issue = parsed.error.issues[0];
  const message = shared ? issue.message.replaceAll(UNKNOWN_ID, model.id) : issue.message;
  return { ok: false, field: String(issue.path[0] ?? 'request'), message };
}

/** JSON body for POST /images/generations: only the fields that are set. */
export function toRequestBody(req: GenerateRequest): Record<string, string | number> {
  const body: Record<string, string | number> = { model: req.model, prompt: req.prompt };
  if (req.size !== undefined) body.size = req.size;
  if (req.quality !== undefined) body.quality = req.quality;
  if (req.outputFormat !== undefined) body.output_format = req.outputFormat;
  if (req.n !== undefined) body.n = Math.trunc(req.n);
  return body;
}
