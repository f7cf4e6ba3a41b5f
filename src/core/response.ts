// The images API's answers, validated leniently: unknown fields are ignored, `usage` never fails a generation.
import { z } from 'zod';
import { firstTextLine, invalidResponse } from './errors';

/** Token usage as OpenAI reports it; passed on as the server sent it. */
export interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  [key: string]: unknown;
}

const imageItem = z
  .object({
    b64_json: z.string().nullish(),
    url: z.string().nullish(),
    revised_prompt: z.string().nullish().catch(undefined),
  })
  .refine((item) => !!item.b64_json || !!item.url, 'an image has neither b64_json nor url');

const imagesAnswer = z.object({
  created: z.number().optional().catch(undefined),
  data: z.array(imageItem, { message: 'no "data" list' }).min(1, 'the "data" list is empty'),
  usage: z.record(z.unknown()).optional().catch(undefined),
});

export type ImageItem = z.infer<typeof imageItem>;
export type ImagesAnswer = { created?: number; data: ImageItem[]; usage?: Usage };

const modelList = z.object({
  data: z.array(z.unknown(), { message: 'no "data" list' }),
});

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    const line = firstTextLine(text);
    throw invalidResponse(`the body is not valid JSON${line ? ` ("${line.slice(0, 80)}")` : ' (it is empty)'}`);
  }
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
  return `${issue.message}${where}`;
}

export function parseImagesAnswer(body: Buffer): ImagesAnswer {
  const parsed = imagesAnswer.safeParse(parseJson(body));
  if (!parsed.success) throw invalidResponse(describeIssue(parsed.error));
  return parsed.data as ImagesAnswer;
}

/** Model ids from GET /models, sorted; entries without a string id are skipped. */
export function parseModelList(body: Buffer): string[] {
  const parsed = modelList.safeParse(parseJson(body));
  if (!parsed.success) throw invalidResponse(describeIssue(parsed.error));
  const ids = parsed.data.data
    .map((m) => (m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string' && id.length > 0);
  return [...new Set(ids)].sort();
}
