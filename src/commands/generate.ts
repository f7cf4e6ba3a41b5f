// GPT Image: Generate Image (palette, editor context menu, keybindings with arguments): gathers the
// prompt (argument, selection or a question), the size and the options, then calls the generation service.
import * as vscode from 'vscode';
import * as z from 'zod/v4-mini';
import { getModel, soleSize } from '../core/catalog';
import { argument, describeDropped, describeIssue, fitRequest } from '../core/options';
import { readSettings, type Settings } from '../config/settings';
import type { Services } from '../services/services';
import { generate, type GenerateOutcome, type RunOptions } from '../flow/generation';
import { EXTRA_ITEM, pickSize } from '../flow/pickSize';
import { askPrompt } from '../flow/prompt';
import { improvePrompt, reviewRewrite } from '../flow/promptHelp';

/** Arguments a keybinding or another extension may pass to gptImage.generate; all optional. */
export const generateArgs = z.partial(
  z.strictObject({
    prompt: z.string(),
    ...argument,
    /** Workspace-relative folder for this generation instead of gptImage.outputFolder. */
    folder: z.string(),
    /** Base file name (made safe, extension from the bytes) instead of one from the prompt. */
    fileName: z.string().check(z.maxLength(200)),
  }),
);

/** How a caller other than the palette follows the run (the TestApi); `useEditor: false` ignores the active editor. */
export type GenerateHooks = RunOptions & { useEditor?: boolean };

const STATE_LAST_SIZE = 'gptImage.lastSize';

export async function generateCommand(
  services: Services,
  rawArgs?: unknown,
  hooks: GenerateHooks = {},
): Promise<GenerateOutcome | undefined> {
  // Menus pass the document's Uri as the first argument: only a plain object is taken as options.
  const tell = (message: string) => (hooks.onError ? hooks.onError(message) : void vscode.window.showErrorMessage(message));
  const parsedArgs = generateArgs.safeParse(isPlainObject(rawArgs) ? rawArgs : {});
  if (!parsedArgs.success) {
    tell(vscode.l10n.t('GPT Image: invalid arguments for Generate Image: {0}', describeIssue(parsedArgs.error.issues[0])));
    return undefined;
  }
  const args = parsedArgs.data;
  const editor = hooks.useEditor === false ? undefined : vscode.window.activeTextEditor;
  const { settings, problems } = readSettings(editor?.document.uri);
  for (const p of problems) {
    services.log.warn(p);
    void vscode.window.showWarningMessage(`GPT Image: ${p}`);
  }

  const model = getModel(args.model ?? settings.model);
  const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
  let prompt = args.prompt ?? (selection?.trim() ? selection : await askPrompt(services.state, model));
  if (prompt === undefined) return undefined;

  // undefined means no file system is registered for the scheme (an untitled document): not read-only.
  if (
    editor &&
    vscode.workspace.fs.isWritableFileSystem(editor.document.uri.scheme) === false &&
    (args.insert ?? settings.insert) !== 'none'
  ) {
    tell(
      vscode.l10n.t(
        'GPT Image: this document is read-only, so no link can be inserted. Open a writable file, or set "gptImage.insert" to "none".',
      ),
    );
    return undefined;
  }

  let size = args.size;
  while (size === undefined) {
    // Improve prompt is the size pick's last item while a chat model is there; the pick comes back after it.
    const improve = (await services.chat.available()) ? improveItem() : undefined;
    const picked = await chooseSize(services, settings, model.id, improve);
    if (picked === undefined) return undefined;
    if (picked !== EXTRA_ITEM) {
      size = picked;
      break;
    }
    const rewrite = await improvePrompt(services, { prompt, model, document: editor?.document, selection: editor?.selection }, tell);
    const reviewed = rewrite === undefined ? undefined : await reviewRewrite(rewrite, model);
    if (reviewed !== undefined) prompt = reviewed;
  }

  const mode = args.mode ?? settings.mode;
  const fit = fitRequest(model, args, settings, { mode, streamingModels: settings.streamingModels });
  if (fit.dropped.length) services.log.info(describeDropped(fit.dropped));
  await services.state.update(STATE_LAST_SIZE, size);
  return generate(
    services,
    settings,
    { request: { model: model.id, prompt, size, ...fit.options }, mode },
    {
      target: editor ? { document: editor.document, selection: editor.selection } : undefined,
      insert: args.insert ?? settings.insert,
      saveAs: { outputFolder: args.folder ?? settings.outputFolder, explicitFolder: args.folder !== undefined, fileName: args.fileName },
      quiet: hooks.useEditor === false,
    },
    hooks,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function improveItem(): vscode.QuickPickItem {
  return { label: `$(sparkle) ${vscode.l10n.t('Improve prompt…')}`, description: vscode.l10n.t('rewrite it with your chat model first') };
}

async function chooseSize(
  services: Services,
  settings: Settings,
  modelId: string,
  extra?: vscode.QuickPickItem,
): Promise<string | typeof EXTRA_ITEM | undefined> {
  const model = getModel(modelId);
  // A model with a single choice (gpt-image-2-auto) needs no question.
  const sole = soleSize(model);
  if (sole) return sole;
  if (!settings.askForSize) return settings.size;
  const last = services.state.get<string>(STATE_LAST_SIZE);
  return pickSize(modelId, last ?? settings.size, last === undefined ? 'default' : 'last', extra);
}
