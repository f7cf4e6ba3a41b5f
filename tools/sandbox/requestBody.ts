// The sandbox reads request bodies the way a gateway does: the inverse of the client's toRequestBody.
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
