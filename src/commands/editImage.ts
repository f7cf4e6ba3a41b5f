// Edit Image with Prompt…: the images right-clicked in the Explorer (or the image tab) go to
// POST /images/edits with a prompt; the result is saved next to the first one and opened.
import * as vscode from 'vscode';
import { getModel, soleSize, type ModelInfo } from '../core/catalog';
import { editImageLimit } from '../core/editLimits';
import type { EditFile } from '../core/edits';
import { sniffImage } from '../core/images';
import { describeDropped, fitRequest } from '../core/options';
import { readSettings } from '../config/settings';
import type { Services } from '../services/services';
import { readImageFile } from '../workspace/imageFiles';
import { targetFolderProblem } from '../workspace/targets';
import { generate, type GenerateOutcome, type RunOptions } from '../flow/generation';
import { pickSize } from '../flow/pickSize';
import { askPrompt } from '../flow/prompt';
import { IMAGE_EXTENSION } from './clickedImage';

/** The saved edit, with the images it was made from (URI strings, in the order sent), to compare them. */
export type EditOutcome = GenerateOutcome & { sources: string[] };

/**
 * Explorer menus pass (clicked uri, all selected uris); the editor title passes the tab's uri.
 * With neither (a keybinding), the active image tab, else an open dialog.
 */
export async function editImageCommand(
  services: Services,
  clicked?: unknown,
  selected?: unknown,
  run: RunOptions = {},
): Promise<EditOutcome | undefined> {
  const uris = await sourcesFrom(clicked, selected);
  if (!uris?.length) return undefined;
  const tell = (message: string): undefined => {
    services.log.warn(message);
    void vscode.window.showErrorMessage(message);
    return undefined;
  };
  const source = uris[0]!;
  const directory = vscode.Uri.joinPath(source, '..');
  // The result goes next to the source: a workspace folder that links out of the workspace is refused before any question.
  const folderProblem = await targetFolderProblem({ outputFolder: '', explicitFolder: true, directory });
  if (folderProblem) return tell(`GPT Image: ${folderProblem}`);
  const { settings, problems } = readSettings(uris[0]);
  for (const p of problems) services.log.warn(p);
  const model = getModel(settings.model);
  const max = editImageLimit(model.id);
  if (max === 0) return tell(vscode.l10n.t('GPT Image: {0} cannot edit images. Choose a GPT image model in "gptImage.model".', model.id));
  if (uris.length > max) {
    return tell(vscode.l10n.t('GPT Image: {0} images are selected; {1} takes at most {2}. Select fewer.', uris.length, model.id, max));
  }

  const images = await readImages(uris);
  if (typeof images === 'string') return tell(images);
  const first = sniffImage(images[0]!.bytes)!;
  const name = images.length === 1 ? images[0]!.name : vscode.l10n.t('{0} images', images.length);
  const prompt = await askPrompt(services.state, model, vscode.l10n.t('GPT Image: how should {0} change?', name));
  if (prompt === undefined) return undefined;
  const size = await chooseSize(model, `${first.width}x${first.height}`, settings.askForSize ? undefined : settings.size);
  if (size === undefined) return undefined;

  const fit = fitRequest(model, {}, settings, { edit: true, streamingModels: settings.streamingModels });
  if (fit.dropped.length) services.log.info(describeDropped(fit.dropped));
  const base = source.path.slice(source.path.lastIndexOf('/') + 1).replace(IMAGE_EXTENSION, '');
  const sources = uris.map(String);
  const outcome = await generate(
    services,
    settings,
    { request: { model: model.id, prompt, size, ...fit.options }, edit: { images, sources }, mode: 'sync' },
    // Next to the source, under a new name: the original is never overwritten.
    { insert: 'none', saveAs: { outputFolder: '', explicitFolder: true, fileName: `${base}-edited`, directory }, openWhenDone: true },
    run,
  );
  return outcome && { ...outcome, sources };
}

async function sourcesFrom(clicked: unknown, selected: unknown): Promise<vscode.Uri[] | undefined> {
  const isUri = (u: unknown): u is vscode.Uri => u instanceof vscode.Uri;
  const chosen = Array.isArray(selected) && selected.length > 0 && selected.every(isUri) ? selected : isUri(clicked) ? [clicked] : [];
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const fromTab = tab instanceof vscode.TabInputCustom || tab instanceof vscode.TabInputText ? [tab.uri] : [];
  const images = (chosen.length ? chosen : fromTab).filter((u) => IMAGE_EXTENSION.test(u.path));
  if (images.length) return images;
  if (chosen.length) {
    void vscode.window.showErrorMessage(vscode.l10n.t('GPT Image: select PNG, JPEG or WebP images to edit.'));
    return undefined;
  }
  return vscode.window.showOpenDialog({
    title: vscode.l10n.t('GPT Image: images to edit'),
    canSelectMany: true,
    filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp'] },
  });
}

/** The files' bytes, or a message naming the one that cannot be sent; checked before any prompt is asked. */
async function readImages(uris: readonly vscode.Uri[]): Promise<EditFile[] | string> {
  const files: EditFile[] = [];
  for (const uri of uris) {
    const read = await readImageFile(uri);
    if (!read.ok) return `GPT Image: ${read.message}`;
    files.push({ name: read.name, bytes: read.bytes, path: vscode.workspace.asRelativePath(uri) });
  }
  return files;
}

/** The source's own size comes first when the model's table has it; a model with one choice asks nothing. */
async function chooseSize(model: ModelInfo, sourceSize: string, fixed: string | undefined): Promise<string | undefined> {
  const sole = soleSize(model);
  if (sole) return sole;
  const inTable = model.sizes.some((s) => s.size === sourceSize);
  if (fixed !== undefined) return inTable ? sourceSize : fixed;
  return inTable ? pickSize(model.id, sourceSize, 'source') : pickSize(model.id, model.allowsAuto ? 'auto' : undefined, 'default');
}
