// Show Generation Info: reads the recipe an image carries (any image, not only one just made) and offers
// to use its prompt again, refine the image with it, or copy the whole recipe.
import * as vscode from 'vscode';
import { getModel } from '../core/catalog';
import { cleanText } from '../core/text';
import type { Recipe } from '../core/recipe';
import { readRecipe } from '../core/xmpPacket';
import { Commands } from '../config/commandIds';
import { readSettings } from '../config/settings';
import { askPrompt, rememberPrompt } from '../flow/prompt';
import type { Services } from '../services/services';
import { readImageFile } from '../workspace/imageFiles';
import { clickedImage } from './clickedImage';

/** How much of a field the list shows; the whole recipe is in Copy recipe. */
const MAX_SHOWN = 500;

type Action = 'usePrompt' | 'refine' | 'copy';
interface InfoItem extends vscode.QuickPickItem {
  action?: Action;
}

/** What was shown and chosen, for callers that follow the command (tests). */
export interface InfoOutcome {
  recipe?: Recipe;
  items: string[];
  chosen?: Action;
  /** Why the file could not be read (the error message shown). */
  problem?: string;
}

export async function showInfoCommand(services: Services, clicked?: unknown): Promise<InfoOutcome | undefined> {
  const uri = await clickedImage(clicked, vscode.l10n.t('GPT Image: image to show the generation info of'));
  if (!uri) return undefined;
  // Size-checked before it is read (a huge file is never loaded), and sniffed.
  const read = await readImageFile(uri);
  if (!read.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('GPT Image: {0}', read.message));
    return { items: [], problem: read.message };
  }
  const { name } = read;
  const recipe = readRecipe(read.bytes);
  if (!recipe) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'GPT Image: {0} carries no generation info. Images saved by GPT Image Studio with "gptImage.embedMetadata" on carry it.',
        name,
      ),
    );
    return { items: [] };
  }
  const items = itemsFor(recipe);
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Generation info: {0}', name), matchOnDescription: true });
  const outcome: InfoOutcome = { recipe, items: items.map((i) => `${i.label}: ${i.description ?? ''}`), chosen: picked?.action };
  if (picked?.action === 'usePrompt') {
    // A prompt read from a file is shown whole in the prompt box, to read and change, before anything is sent.
    await rememberPrompt(services.state, recipe.prompt);
    const prompt = await askPrompt(services.state, getModel(readSettings().settings.model));
    if (prompt !== undefined) void vscode.commands.executeCommand(Commands.generate, { prompt });
  }
  if (picked?.action === 'refine') void vscode.commands.executeCommand(Commands.refine, uri);
  if (picked?.action === 'copy') await vscode.env.clipboard.writeText(JSON.stringify(recipe, null, 2));
  return outcome;
}

function itemsFor(recipe: Recipe): InfoItem[] {
  const field = (label: string, value: string | number | undefined): InfoItem[] =>
    // The file's text, which anyone may have written: one short line, no control characters.
    value === undefined ? [] : [{ label, description: cleanText(String(value).replace(/\s+/g, ' '), MAX_SHOWN) }];
  return [
    { label: `$(sparkle) ${vscode.l10n.t('Use prompt')}`, action: 'usePrompt' },
    { label: `$(edit) ${vscode.l10n.t('Refine this')}`, action: 'refine' },
    { label: `$(copy) ${vscode.l10n.t('Copy recipe')}`, action: 'copy' },
    { label: vscode.l10n.t('Recipe'), kind: vscode.QuickPickItemKind.Separator },
    ...field(vscode.l10n.t('Prompt'), recipe.prompt),
    ...field(vscode.l10n.t('Revised prompt'), recipe.revisedPrompt),
    ...field(vscode.l10n.t('Model'), recipe.model),
    ...field(vscode.l10n.t('Size'), recipe.size),
    ...field(vscode.l10n.t('Quality'), recipe.quality),
    ...field(vscode.l10n.t('Format'), recipe.outputFormat),
    ...field(vscode.l10n.t('Background'), recipe.background),
    ...field(vscode.l10n.t('Compression'), recipe.outputCompression),
    ...field(vscode.l10n.t('Images'), recipe.n),
    ...field(vscode.l10n.t('Gateway'), recipe.host),
    ...field(vscode.l10n.t('Time'), recipe.time),
    ...field(vscode.l10n.t('Made with'), `${recipe.generator.name} ${recipe.generator.version}`),
    ...field(vscode.l10n.t('Edited from'), recipe.edit?.sources.join(', ')),
    ...field(vscode.l10n.t('Mask'), recipe.edit ? (recipe.edit.mask ? vscode.l10n.t('yes') : vscode.l10n.t('no')) : undefined),
  ];
}
