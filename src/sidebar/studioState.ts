// What the studio keeps between sessions (the form). Prices: config/settings.ts; gateway model ids: gatewayModels.ts.
import * as vscode from 'vscode';
import { readSettings, readUserSettings } from '../config/settings';
import { DEFAULTS } from '../core/catalog';
import { checkOutputFolder } from '../core/outputFolder';
import { formRevision, formSchema, type FormState } from '../protocol';
import type { HistoryEntry } from '../workspace/history';

const FORM_KEY = 'gptImage.studio.form';
/** The saved form's revision (protocol.ts: formRevision). */
const REVISION_KEY = 'gptImage.studio.formRevision';

/**
 * The saved form, or one built from the user's own settings (the form is kept across windows: no workspace's);
 * anything invalid falls back to the catalog defaults.
 */
export function loadForm(state: vscode.Memento): FormState {
  const saved = formSchema.safeParse(state.get(FORM_KEY));
  if (saved.success) return saved.data;
  const { settings } = readUserSettings();
  const fromSettings = formSchema.safeParse({
    prompt: '',
    model: settings.model,
    size: settings.size,
    quality: settings.quality,
    outputFormat: settings.outputFormat,
    n: settings.n,
    background: settings.background,
    moderation: settings.moderation,
    outputCompression: settings.outputCompression,
    inputFidelity: settings.inputFidelity,
    previews: settings.previews,
  });
  return fromSettings.success
    ? fromSettings.data
    : {
        prompt: '',
        model: DEFAULTS.model,
        size: '1024x1024',
        quality: DEFAULTS.quality,
        outputFormat: DEFAULTS.outputFormat,
        n: DEFAULTS.n,
        background: DEFAULTS.background,
        moderation: DEFAULTS.moderation,
        outputCompression: DEFAULTS.outputCompression,
        inputFidelity: DEFAULTS.inputFidelity,
        previews: DEFAULTS.previews,
      };
}

export function loadFormRevision(state: vscode.Memento): number {
  const revision = formRevision.safeParse(state.get(REVISION_KEY));
  return revision.success ? revision.data : 0;
}

function writeForm(state: vscode.Memento, form: FormState, revision: number): Promise<unknown> {
  return Promise.all([state.update(FORM_KEY, form), state.update(REVISION_KEY, revision)]);
}

/** A form the host chose (Use prompt again, Refine this, Choose Model): newer than any copy so far. Its revision. */
export async function saveForm(state: vscode.Memento, form: FormState): Promise<number> {
  const revision = loadFormRevision(state) + 1;
  await writeForm(state, form, revision);
  return revision;
}

/**
 * How far a page's revision may run ahead of the host's: one per change it has not sent yet, a handful. A page
 * that claims more (a hostile one sending the largest count) would pin the count where the host's next form
 * could no longer be numbered above it.
 */
const MAX_PAGE_LEAD = 1000;

/**
 * The page's form, unless the host's copy is as new: a save the page sent before the host replaced the form
 * arrives after it, and must not bring the old form back.
 */
export async function savePageForm(state: vscode.Memento, form: FormState, revision: number): Promise<void> {
  const current = loadFormRevision(state);
  if (revision <= current || revision > current + MAX_PAGE_LEAD) return;
  await writeForm(state, form, revision);
}

/**
 * Folders the webview may load images from: each workspace folder's output folder and the
 * folders of files in the history (Markdown destinations and save dialogs can put them anywhere).
 */
export function imageRoots(entries: readonly HistoryEntry[]): vscode.Uri[] {
  const roots = new Map<string, vscode.Uri>();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const checked = checkOutputFolder(readSettings(folder.uri).settings.outputFolder);
    if (!checked.ok) continue;
    const dir = vscode.Uri.joinPath(folder.uri, ...checked.segments);
    roots.set(dir.toString(), dir);
  }
  for (const entry of entries) {
    for (const f of entry.files) {
      try {
        const dir = vscode.Uri.joinPath(vscode.Uri.parse(f.uri, true), '..');
        roots.set(dir.toString(), dir);
      } catch {
        /* an unreadable uri in the history gets no thumbnail */
      }
    }
  }
  return [...roots.values()];
}
