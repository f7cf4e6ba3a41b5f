import * as vscode from 'vscode';
import * as z from 'zod/v4-mini';
import { getModel, soleSize } from '../core/catalog';
import { generateImages } from '../core/client';
import { editImages, validateEditRequest } from '../core/edits';
import { argument, describeDropped, fitRequest } from '../core/options';
import { validateRequest, type GenerateRequest } from '../core/request';
import { generateImagesAsync } from '../core/tasks';
import { readSettings, type Settings } from '../config/settings';
import type { Services } from '../services/services';
import { targetFolderProblem } from '../workspace/targets';
import { resolveGateway } from '../services/gateway';
import { runImageJob, type GenerateHooks, type GenerateOutcome, type ImageCall } from './imageJob';
import { pickSize } from './pickSize';
import { askPrompt } from './prompt';

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

export type { GenerateHooks, GenerateOutcome } from './imageJob';

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
    tell(vscode.l10n.t('GPT Image: invalid arguments for Generate Image: {0}', parsedArgs.error.issues[0]?.message ?? ''));
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
  const prompt = args.prompt ?? (selection?.trim() ? selection : await askPrompt(services.state, model));
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

  const size = args.size ?? (await chooseSize(services, settings, model.id));
  if (size === undefined) return undefined;

  const fit = fitRequest(model, args, settings);
  if (fit.dropped.length) services.log.info(describeDropped(fit.dropped));
  const request: GenerateRequest = { model: model.id, prompt, size, ...fit.options };
  const valid = hooks.edit ? validateEditRequest({ ...request, ...hooks.edit }) : validateRequest(request);
  if (!valid.ok) {
    tell(`GPT Image: ${valid.message}`);
    return undefined;
  }

  // Refuse a bad output folder (outside, through a symbolic link, a file) before anything is spent on the request.
  const folderProblem = await targetFolderProblem({
    document: editor?.document,
    outputFolder: args.folder ?? settings.outputFolder,
    explicitFolder: args.folder !== undefined,
  });
  if (folderProblem) {
    tell(`GPT Image: ${folderProblem}`);
    return undefined;
  }

  const gateway = await resolveGateway(settings, services.keys, services.log, hooks.onError);
  if (!gateway) return undefined;
  await services.state.update(STATE_LAST_SIZE, size);

  return runImageJob(services, {
    request: valid.value,
    ...imageCalls(valid.value, args.mode ?? settings.mode, hooks),
    settings,
    gateway,
    target: editor ? { document: editor.document, selection: editor.selection } : undefined,
    insert: args.insert ?? settings.insert,
    saveAs: { outputFolder: args.folder ?? settings.outputFolder, explicitFolder: args.folder !== undefined, fileName: args.fileName },
    hooks,
  });
}

/** Edits go to /images/edits; generations are one request, or a polled task in async mode (offered after a gateway timeout). */
function imageCalls(request: GenerateRequest, mode: Settings['mode'], hooks: GenerateHooks): { call: ImageCall; asAsync?: ImageCall } {
  const edit = hooks.edit;
  if (edit) return { call: (opts) => editImages({ ...request, ...edit }, opts) };
  const asAsync: ImageCall = (opts) => generateImagesAsync(request, opts);
  return mode === 'async' ? { call: asAsync } : { call: (opts) => generateImages(request, opts), asAsync };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

async function chooseSize(services: Services, settings: Settings, modelId: string): Promise<string | undefined> {
  const model = getModel(modelId);
  // A model with a single choice (gpt-image-2-auto) needs no question.
  const sole = soleSize(model);
  if (sole) return sole;
  if (!settings.askForSize) return settings.size;
  const last = services.state.get<string>(STATE_LAST_SIZE);
  return pickSize(modelId, last ?? settings.size, last === undefined ? 'default' : 'last');
}
