// Iterating on a result: the order that runs an entry's request again (More like this).
import * as vscode from 'vscode';
import type { Settings } from '../config/settings';
import { getModel } from '../core/catalog';
import { MAX_REFERENCES } from '../core/editLimits';
import { EXTRA_OPTIONS, streams } from '../core/options';
import type { EditFile } from '../core/edits';
import type { HistoryEntry } from '../core/historyEntry';
import type { GenerateRequest } from '../core/request';
import { readImageFile } from '../workspace/imageFiles';
import { workspaceFile } from '../workspace/workspaceFile';
import type { ImageOrder } from './generation';

/**
 * The entry's request as it was sent, with its parent; an edit reads its sources again and sends no
 * mask (masks are not kept). A string says why it cannot run again.
 */
export async function repeatOrder(entry: HistoryEntry, settings: Settings): Promise<ImageOrder | string> {
  const recorded = entry.request;
  if (!recorded) {
    return vscode.l10n.t(
      'GPT Image: this entry is from an older version that did not record its full request; use "Use prompt again" instead.',
    );
  }
  const request: GenerateRequest = { prompt: entry.prompt, ...recorded };
  const model = getModel(recorded.model);
  // The history file is not ours alone to write, and the catalog may have changed since: an option the model no
  // longer takes is left out. Previews are billed: they stream again only while the user's settings still want them.
  for (const field of EXTRA_OPTIONS) if (!model.takes.includes(field)) delete request[field];
  if (settings.previews === 'off' || !streams(model, settings.streamingModels)) delete request.partialImages;
  // The user id is the user's setting, sent again wherever the model takes it.
  if (settings.user && model.takes.includes('user')) request.user = settings.user;
  const parent = entry.parent ? { parent: entry.parent } : {};
  if (entry.kind !== 'edit') return { request, mode: request.partialImages === undefined ? settings.mode : 'sync', ...parent };
  const sources = entry.sources ?? [];
  if (!sources.length)
    return vscode.l10n.t('GPT Image: this edit did not record its source images; add them as references and edit again.');
  // The history file is not ours alone to write: only as many sources as an edit takes, and only workspace files, are read.
  if (sources.length > MAX_REFERENCES) {
    return vscode.l10n.t('GPT Image: a source image of this edit has a path that cannot be read; add it again as a reference.');
  }
  const images: EditFile[] = [];
  for (const source of sources) {
    const checked = await workspaceFile(source);
    if (!checked.ok && checked.reason === 'notUri') {
      return vscode.l10n.t('GPT Image: a source image of this edit has a path that cannot be read; add it again as a reference.');
    }
    if (!checked.ok && checked.reason === 'outside') {
      return vscode.l10n.t('GPT Image: a source image of this edit is outside the workspace; add it again as a reference.');
    }
    const read = await readImageFile(checked.uri!);
    if (!read.ok) return vscode.l10n.t('GPT Image: a source image of this edit cannot be used: {0}', read.message);
    images.push({ name: read.name, bytes: read.bytes });
  }
  return { request, edit: { images, sources }, mode: 'sync', ...parent };
}
