// The sandbox reads request bodies the way a gateway does: the inverse of the client's toRequestBody.
import { z } from 'zod';
import type { ImageFormat } from '../../src/core/catalog';
import type { GenerateRequest } from '../../src/core/request';

/** The inverse of toRequestBody for a server reading a body; values are passed on unchecked. */
export function fromRequestBody(body: Record<string, unknown>, defaultModel: string): GenerateRequest {
  return {
    model: body.model === undefined ? defaultModel : (body.model as string),
    prompt: body.prompt as string,
    size: body.size as string | undefined,
    quality: body.quality as string | undefined,
    outputFormat: body.output_format as ImageFormat | undefined,
    n: body.n as number | undefined,
  };
}

/** The body's name for a GenerateRequest field (as an OpenAI error's `param`). */
export function wireName(field: string): string {
  return field === 'outputFormat' ? 'output_format' : field;
}

// The newer wire options, read straight from the body (JSON values, or a multipart edit's strings).
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const whole = (min: number, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?\d+$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(max));
const extrasSchema = z.object({
  stream: flag.default(false),
  /** Partial images per image when streaming. */
  partial_images: whole(0, 3).default(0),
  background: z.enum(['transparent', 'opaque', 'auto']).default('auto'),
  moderation: z.enum(['low', 'auto']).optional(),
  /** The encoder's quality for jpeg and webp. */
  output_compression: whole(0, 100).optional(),
  input_fidelity: z.enum(['high', 'low']).optional(),
  user: z.string().optional(),
});

/** What the sandbox does with the options GenerateRequest does not carry (wire names). */
export type ImageExtras = z.output<typeof extrasSchema>;
export type Background = ImageExtras['background'];

export type ExtrasCheck = { ok: true; value: ImageExtras } | { ok: false; param: string; message: string };

/** Reads and checks the newer options; `format` is the output format the answer will have. */
export function readExtras(body: Record<string, unknown>, format: ImageFormat): ExtrasCheck {
  const parsed = extrasSchema.safeParse(body);
  if (!parsed.success) {
    const param = String(parsed.error.issues[0]?.path[0] ?? '');
    return { ok: false, param, message: `Invalid value for '${param}': ${JSON.stringify(body[param])}.` };
  }
  if (parsed.data.background === 'transparent' && format === 'jpeg') {
    return {
      ok: false,
      param: 'background',
      message: "Transparent background is not supported for output_format 'jpeg'; use png or webp.",
    };
  }
  return { ok: true, value: parsed.data };
}
