// Reading an image the user chose (to edit, or as a reference): size-checked before it is loaded,
// sniffed after, with one sentence naming the file when it cannot be used.
import { basename } from '../core/posixPath';
import * as vscode from 'vscode';
import { MAX_REFERENCE_BYTES } from '../core/editLimits';
import { sniffImage, type SniffedImage } from '../core/images';
import { cleanText } from '../core/text';

export type ImageFileRead = { ok: true; name: string; bytes: Uint8Array; image: SniffedImage } | { ok: false; message: string };

const MB = 1024 * 1024;

export function imageFileName(uri: vscode.Uri): string {
  return cleanText(basename(uri.path), 1024);
}

export async function readImageFile(uri: vscode.Uri): Promise<ImageFileRead> {
  const name = imageFileName(uri);
  const tooBig = (bytes: number) =>
    vscode.l10n.t(
      '{0} is {1} MB; images read from the workspace must be under {2} MB. Use a smaller copy.',
      name,
      (bytes / MB).toFixed(1),
      MAX_REFERENCE_BYTES / MB,
    );
  let bytes: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { ok: false, message: vscode.l10n.t('{0} is a folder; pick image files.', name) };
    // A link to a device (a committed images/cat.png -> /dev/zero) has no size and would be read without end.
    if (!(stat.type & vscode.FileType.File))
      return { ok: false, message: vscode.l10n.t('{0} is not a regular file; pick image files.', name) };
    // The size is checked before reading, so a huge file is never loaded.
    if (stat.size >= MAX_REFERENCE_BYTES) return { ok: false, message: tooBig(stat.size) };
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    return { ok: false, message: vscode.l10n.t('{0} could not be read; check that it still exists.', name) };
  }
  if (bytes.byteLength >= MAX_REFERENCE_BYTES) return { ok: false, message: tooBig(bytes.byteLength) };
  const image = sniffImage(bytes);
  if (!image) return { ok: false, message: vscode.l10n.t('{0} is not a PNG, JPEG or WebP image; pick one of those.', name) };
  return { ok: true, name, bytes, image };
}
