// Refine This Image: an edit of one image with the image as the reference and its own prompt in the
// prompt box to change. The prompt comes from the history entry that saved the file, else from the
// recipe the file carries (an image made elsewhere); the edit continues the lineage either way.
import * as vscode from 'vscode';
import { findFile } from '../core/historyEntry';
import { readRecipe } from '../core/xmpPacket';
import { rememberPrompt } from '../flow/prompt';
import type { RunOptions } from '../flow/generation';
import type { Services } from '../services/services';
import { readImageFile } from '../workspace/imageFiles';
import { clickedImage } from './clickedImage';
import { editImageCommand, type EditOutcome } from './editImage';

export async function refineCommand(services: Services, clicked?: unknown, run: RunOptions = {}): Promise<EditOutcome | undefined> {
  const uri = await clickedImage(clicked, vscode.l10n.t('GPT Image: image to refine'));
  if (!uri) return undefined;
  const prompt = await promptOf(services, uri);
  if (prompt !== undefined) await rememberPrompt(services.state, prompt);
  return editImageCommand(services, uri, [uri], run);
}

/** The prompt that made the image: the history's, else the file's recipe; undefined for an image of unknown origin. */
async function promptOf(services: Services, uri: vscode.Uri): Promise<string | undefined> {
  const known = findFile(await services.history.all(), uri.toString());
  if (known) return known.entry.prompt;
  // An unreadable file is the edit command's to explain; here it only has no prompt.
  const read = await readImageFile(uri);
  return read.ok ? readRecipe(read.bytes)?.prompt : undefined;
}
