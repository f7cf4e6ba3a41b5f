// Edits images through POST /images/edits: reference images (and a mask) go up as multipart,
// the answer comes back like a generation's and is checked the same way.
import { requestImages, type ClientOptions, type GenerationResult } from './client';
import { editImageLimit, MAX_MASK_PNG_BYTES, MAX_REFERENCE_BYTES } from './editLimits';
import { ImageApiError } from './errors';
import { sniffImage, type SniffedImage } from './images';
import { toRequestBody, validateRequest, type GenerateRequest } from './request';

export interface EditFile {
  name: string;
  bytes: Uint8Array;
}

export type EditRequest = GenerateRequest & { images: EditFile[]; mask?: EditFile };

/** Like validateRequest's answer: the request's own fields normalised, or what is wrong. */
export type EditValidation = { ok: true; value: GenerateRequest } | { ok: false; field: string; message: string };

const MB = 1024 * 1024;

const mime = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

/** Checks the files before anything is sent: a refused upload of megabytes costs time and may cost money. */
export function validateEditRequest(req: EditRequest): EditValidation {
  const checked = validateRequest(req);
  if (!checked.ok) return { ok: false, field: checked.field, message: checked.message };
  const { value } = checked;
  const model = value.model;
  const max = editImageLimit(model);
  const images = Array.isArray(req.images) ? req.images : [];
  if (max === 0) return { ok: false, field: 'model', message: `model: ${model} cannot edit images; pick a GPT image model or dall-e-2` };
  if (images.length === 0) return { ok: false, field: 'images', message: 'images: add at least one reference image' };
  if (images.length > max) {
    return { ok: false, field: 'images', message: `images: ${images.length} given; ${model} takes at most ${max}. Remove some.` };
  }
  let first: SniffedImage | undefined;
  for (const [i, file] of images.entries()) {
    const which = `images: ${file?.name || `image ${i + 1}`}`;
    const sniffed = file?.bytes ? sniffImage(file.bytes) : undefined;
    if (!sniffed) return { ok: false, field: 'images', message: `${which} is not a PNG, JPEG or WebP image; pick an image file` };
    if (file.bytes.byteLength >= MAX_REFERENCE_BYTES) {
      return { ok: false, field: 'images', message: `${which} is ${mb(file.bytes.byteLength)}; each image must be under 50 MB` };
    }
    first ??= sniffed;
  }
  if (req.mask === undefined) return { ok: true, value };
  const mask = req.mask?.bytes ? sniffImage(req.mask.bytes) : undefined;
  const name = `mask: ${req.mask?.name || 'the mask'}`;
  if (mask?.format !== 'png') return { ok: false, field: 'mask', message: `${name} is not a PNG; save the mask as PNG with transparency` };
  if (req.mask.bytes.byteLength >= MAX_MASK_PNG_BYTES) {
    return { ok: false, field: 'mask', message: `${name} is ${mb(req.mask.bytes.byteLength)}; the mask must be under 4 MB` };
  }
  if (mask.width !== first!.width || mask.height !== first!.height) {
    const want = `${first!.width}x${first!.height}`;
    return { ok: false, field: 'mask', message: `${name} is ${mask.width}x${mask.height}; make it ${want}, the first image's size` };
  }
  return { ok: true, value };
}

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

/** The multipart body; one image goes as `image`, several as repeated `image[]`, as OpenAI's API reads them. */
function toFormData(req: EditRequest, value: GenerateRequest): FormData {
  const form = new FormData();
  for (const [name, v] of Object.entries(toRequestBody(value))) form.append(name, String(v));
  const field = req.images.length === 1 ? 'image' : 'image[]';
  // Blob copies the bytes whatever buffer backs them; the cast only satisfies the DOM typing.
  const part = (file: EditFile) => new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: mime[sniffImage(file.bytes)!.format] });
  for (const file of req.images) form.append(field, part(file), file.name);
  if (req.mask) form.append('mask', part(req.mask), req.mask.name);
  return form;
}

export async function editImages(req: EditRequest, opts: ClientOptions): Promise<GenerationResult> {
  const checked = validateEditRequest(req);
  if (!checked.ok) throw new ImageApiError({ kind: 'invalidRequest', userMessage: checked.message });
  return requestImages(opts, 'images/edits', checked.value, { data: toFormData(req, checked.value) });
}
