// One history entry as stored: what was asked, what came of it, and for iterating on it the request
// as sent, an edit's sources and the entry it refined. Fields added later are optional, so older
// entries still read.
import * as z from 'zod/v4-mini';
import { MAX_USD } from './actualCost';
import { BACKGROUNDS, INPUT_FIDELITIES, MODERATIONS, OUTPUT_FORMATS, type RequestOptions } from './options';

/** The request's options as sent (fitted to the model), without the prompt and the user id, which is the user's setting. */
export const recordedRequestSchema = z.object({
  model: z.string(),
  size: z.optional(z.string()),
  quality: z.optional(z.string()),
  outputFormat: z.optional(z.enum(OUTPUT_FORMATS)),
  n: z.optional(z.number()),
  background: z.optional(z.enum(BACKGROUNDS)),
  moderation: z.optional(z.enum(MODERATIONS)),
  outputCompression: z.optional(z.number()),
  inputFidelity: z.optional(z.enum(INPUT_FIDELITIES)),
  partialImages: z.optional(z.number()),
});
export type RecordedRequest = z.infer<typeof recordedRequestSchema>;

/** USD as recorded; the file is not ours alone to write, so an odd value drops the field, never the entry. */
const usd = z.catch(z.optional(z.number().check(z.nonnegative(), z.maximum(MAX_USD))), undefined);

export const historyEntrySchema = z.object({
  id: z.string(),
  time: z.number(),
  prompt: z.string(),
  model: z.string(),
  size: z.optional(z.string()),
  quality: z.optional(z.string()),
  format: z.optional(z.string()),
  n: z.optional(z.number()),
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  error: z.optional(z.string()),
  durationMs: z.optional(z.number()),
  usage: z.optional(z.record(z.string(), z.unknown())),
  files: z.array(z.object({ uri: z.string(), width: z.number(), height: z.number(), format: z.string() })),
  /** Absent in entries written before edits were told apart: those read as generations. */
  kind: z.optional(z.enum(['generate', 'edit'])),
  /** An edit's source images, as URI strings, in the order sent (the mask applied to the first). */
  sources: z.optional(z.array(z.string())),
  /** Whether an edit sent a mask; the mask itself is not kept. */
  mask: z.optional(z.boolean()),
  request: z.optional(recordedRequestSchema),
  /** The id of the entry whose result this one refined. */
  parent: z.optional(z.string()),
  /** The gateway's host name (as the recipe records it), for spending per gateway. */
  gateway: z.catch(z.optional(z.string().check(z.maxLength(253))), undefined),
  /** USD estimated before sending (undefined: no price known). */
  estimate: usd,
  /** USD computed from the answer's `usage` at the model's token prices (undefined: not token-billed, or no usable usage). */
  actual: usd,
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

const RECORDED = [
  'quality',
  'outputFormat',
  'n',
  'background',
  'moderation',
  'outputCompression',
  'inputFidelity',
  'partialImages',
] as const;

/** The options of a request as the history keeps them: only those sent. */
export function recordRequest(request: RequestOptions & { model: string; size?: string }): RecordedRequest {
  const recorded: RecordedRequest = { model: request.model };
  if (request.size !== undefined) recorded.size = request.size;
  for (const k of RECORDED) if (request[k] !== undefined) Object.assign(recorded, { [k]: request[k] });
  return recorded;
}

/** The history entry and file a URI string names; the only way a message naming a file reaches it. */
export function findFile(
  entries: readonly HistoryEntry[],
  uri: string,
): { entry: HistoryEntry; file: HistoryEntry['files'][number] } | undefined {
  for (const entry of entries) {
    const file = entry.files.find((f) => f.uri === uri);
    if (file) return { entry, file };
  }
  return undefined;
}

/** The entry that saved an edit's first source (the image a mask applies to), when the history names it. */
export function parentOf(entries: readonly HistoryEntry[], sources: readonly string[]): string | undefined {
  const first = sources[0];
  return first === undefined ? undefined : findFile(entries, first)?.entry.id;
}
