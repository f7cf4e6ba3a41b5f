// Edits images through POST /images/edits: reference images (and a mask) go up as multipart,
// the answer comes back like a generation's and is checked the same way.
import { requestImages, type ClientOptions, type GenerationResult } from './client';
import { DALL_E_2_IMAGE_BYTES, editImageLimit, MAX_MASK_PNG_BYTES, MAX_REFERENCE_BYTES } from './editLimits';
import { ImageApiError } from './errors';
import { sniffImage, type SniffedImage } from './images';
import { message, type FieldFailure, type Message } from './messages';
import { toRequestBody, validateRequest, type GenerateRequest, type Validation } from './request';

export interface EditFile {
  name: string;
  bytes: Uint8Array;
  /** Where it came from, relative to the workspace: named in the result's recipe, never sent. */
  path?: string;
}

export type EditRequest = GenerateRequest & { images: EditFile[]; mask?: EditFile };

const MB = 1024 * 1024;

const mime = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

const refuse = (field: string, error: Message): FieldFailure => ({ ok: false, field, error });

/** Checks the files before anything is sent: a refused upload of megabytes costs time and may cost money. */
export function validateEditRequest(req: EditRequest): Validation {
  const checked = validateRequest(req);
  if (!checked.ok) return checked;
  const { value } = checked;
  const model = value.model;
  const max = editImageLimit(model);
  const images = Array.isArray(req.images) ? req.images : [];
  if (max === 0) return refuse('model', message('cannotEdit', { model }));
  if (images.length === 0) return refuse('images', message('noImages', {}));
  if (images.length > max) return refuse('images', message('tooManyImagesGiven', { count: images.length, model, max }));
  let first: SniffedImage | undefined;
  for (const [index, file] of images.entries()) {
    const which = { ...(file?.name ? { name: file.name } : {}), index };
    const sniffed = file?.bytes ? sniffImage(file.bytes) : undefined;
    if (!sniffed) return refuse('images', message('notAnImage', which));
    if (file.bytes.byteLength >= MAX_REFERENCE_BYTES) {
      return refuse('images', message('imageTooBig', { ...which, size: mb(file.bytes.byteLength) }));
    }
    const unfit = model === 'dall-e-2' ? dallE2Unfit(sniffed, file.bytes.byteLength) : undefined;
    if (unfit) return refuse('images', message('dallE2Image', { ...which, got: unfit }));
    first ??= sniffed;
  }
  if (req.mask === undefined) return { ok: true, value };
  const mask = req.mask?.bytes ? sniffImage(req.mask.bytes) : undefined;
  const name = req.mask?.name ? { name: req.mask.name } : {};
  if (mask?.format !== 'png') return refuse('mask', message('maskNotPng', name));
  if (req.mask.bytes.byteLength >= MAX_MASK_PNG_BYTES) {
    return refuse('mask', message('maskTooBig', { ...name, size: mb(req.mask.bytes.byteLength) }));
  }
  if (mask.width !== first!.width || mask.height !== first!.height) {
    const want = `${first!.width}x${first!.height}`;
    return refuse('mask', message('maskWrongSize', { ...name, got: `${mask.width}x${mask.height}`, want }));
  }
  return { ok: true, value };
}

/** What keeps an image from a dall-e-2 edit (OpenAI's schema: "a square `png` file less than 4MB"), if anything. */
function dallE2Unfit(image: SniffedImage, bytes: number): string | undefined {
  if (image.format !== 'png') return image.format.toUpperCase();
  if (image.width !== image.height) return `${image.width}x${image.height}`;
  return bytes >= DALL_E_2_IMAGE_BYTES ? mb(bytes) : undefined;
}

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

/** The multipart body; one image goes as `image`, several as repeated `image[]`, as OpenAI's API reads them. */
function toFormData(req: EditRequest, value: GenerateRequest): FormData {
  const form = new FormData();
  for (const [name, v] of Object.entries(toRequestBody(value, 'edit'))) form.append(name, String(v));
  const field = req.images.length === 1 ? 'image' : 'image[]';
  // Blob copies the bytes whatever buffer backs them; the cast only satisfies the DOM typing.
  const part = (file: EditFile) => new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: mime[sniffImage(file.bytes)!.format] });
  for (const file of req.images) form.append(field, part(file), file.name);
  if (req.mask) form.append('mask', part(req.mask), req.mask.name);
  return form;
}

export async function editImages(req: EditRequest, opts: ClientOptions): Promise<GenerationResult> {
  const checked = validateEditRequest(req);
  if (!checked.ok) throw new ImageApiError({ kind: 'invalidRequest', detail: checked.error });
  return requestImages(opts, 'images/edits', checked.value, { data: toFormData(req, checked.value) });
}
