// The recipe an image carries: what was asked, of which model, through which gateway host, when.
// Read back from a file, so it is hostile input: every field is capped and typed, unknown fields dropped.
import * as z from 'zod/v4-mini';

const text = (max: number) => z.string().check(z.maxLength(max));

export const recipeSchema = z.object({
  prompt: text(32_000),
  revisedPrompt: z.optional(text(32_000)),
  model: text(200),
  size: z.optional(text(40)),
  quality: z.optional(text(40)),
  outputFormat: z.optional(text(40)),
  background: z.optional(text(40)),
  outputCompression: z.optional(z.int().check(z.minimum(0), z.maximum(100))),
  n: z.int().check(z.minimum(1), z.maximum(10)),
  /** The gateway's host name only: never a key, a path, a query or user info. */
  host: z.optional(text(253)),
  time: text(40),
  generator: z.object({ name: text(100), version: text(40) }),
  edit: z.optional(
    z.object({
      /** Workspace-relative names of the images sent. */
      sources: z.array(text(1024)).check(z.maxLength(16)),
      mask: z.boolean(),
    }),
  ),
});

export type Recipe = z.infer<typeof recipeSchema>;

/** The host name of a gateway address, or undefined when it is not a URL; port, user info, path and query are dropped. */
export function gatewayHost(apiRoot: string): string | undefined {
  try {
    return new URL(apiRoot).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** A recipe read from JSON text, or undefined for anything that is not one. */
export function parseRecipe(json: string): Recipe | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = recipeSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
