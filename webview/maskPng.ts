// Turns the painted layer into the mask the edits endpoint reads: a PNG of the image's exact size,
// opaque everywhere except the painted area, which is fully transparent (the area to change).
import { MAX_MASK_PNG_BYTES } from '../src/core/editLimits';
import { S } from './strings';

export type MaskResult = { ok: true; base64: string | undefined } | { ok: false; message: string };

/** Base64 of the PNG, or undefined when nothing is painted: no mask means the whole image may change. */
export async function maskPng(layer: HTMLCanvasElement): Promise<MaskResult> {
  const { width, height } = layer;
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d');
  if (!ctx) return { ok: false, message: S.maskFailed };
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, width, height);
  ctx.globalCompositeOperation = 'destination-out';
  ctx.drawImage(layer, 0, 0);
  // Brush edges are anti-aliased; the mask is either kept or changed, so half-painted pixels are rounded.
  const pixels = ctx.getImageData(0, 0, width, height);
  const data = pixels.data;
  let transparent = 0;
  for (let i = 3; i < data.length; i += 4) {
    const clear = data[i]! < 128;
    data[i] = clear ? 0 : 255;
    if (clear) transparent++;
  }
  if (transparent === 0) return { ok: true, base64: undefined };
  // putImageData replaces the pixels whatever the composite mode.
  ctx.putImageData(pixels, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => out.toBlob(resolve, 'image/png'));
  if (!blob) return { ok: false, message: S.maskFailed };
  if (blob.size >= MAX_MASK_PNG_BYTES) return { ok: false, message: S.maskTooBig((blob.size / (1024 * 1024)).toFixed(1)) };
  return { ok: true, base64: toBase64(new Uint8Array(await blob.arrayBuffer())) };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // In chunks: spreading megabytes into one call would overflow the argument stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
