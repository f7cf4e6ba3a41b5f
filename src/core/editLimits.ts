// The limits of image edits, in their own module because the studio webview checks them too and
// cannot import edits.ts (which pulls in the node HTTP client).

const MB = 1024 * 1024;
/** Each reference image must be smaller than this (as edits.ts checks before sending). */
export const MAX_REFERENCE_BYTES = 50 * MB;
/** dall-e-2 edits a square PNG smaller than this. */
export const DALL_E_2_IMAGE_BYTES = 4 * MB;
/** The mask PNG must be smaller than this. */
export const MAX_MASK_PNG_BYTES = 4 * MB;
/** The most reference images any model takes; the studio never holds more. */
export const MAX_REFERENCES = 16;

/** How many reference images a model takes: OpenAI's dall-e-2 edits one, dall-e-3 cannot edit. */
export function editImageLimit(model: string): number {
  if (model === 'dall-e-2') return 1;
  if (model === 'dall-e-3') return 0;
  return MAX_REFERENCES;
}
