import * as vscode from 'vscode';
import { z } from 'zod';
import { getModel } from '../core/catalog';
import { generateImages, type GenerationResult, type LogEvent, type ProgressEvent } from '../core/client';
import { ImageApiError } from '../core/errors';
import { extensionFor } from '../core/images';
import { validateRequest, type GenerateRequest } from '../core/request';
import { readSettings, type Settings } from '../config/settings';
import { linksFor, writeAndInsert, type ImageFile, type InsertTarget } from '../editor/insertImages';
import type { Services } from '../services/services';
import { chooseTargets, release, targetFolderProblem } from '../workspace/targets';
import { resolveGateway } from './gateway';
import { pickSize } from './pickSize';
import { askPrompt } from './prompt';

/** Arguments a keybinding or another extension may pass to gptImage.generate; all optional. */
export const generateArgs = z
  .object({
    prompt: z.string(),
    model: z.string(),
    size: z.string(),
    quality: z.string(),
    outputFormat: z.enum(['png', 'jpeg', 'webp']),
    n: z.number().int(),
    insert: z.enum(['auto', 'markdown', 'html', 'path', 'none']),
    /** Workspace-relative folder for this generation instead of gptImage.outputFolder. */
    folder: z.string(),
    /** Base file name (made safe, extension from the bytes) instead of one from the prompt. */
    fileName: z.string().max(200),
  })
  .partial()
  .strict();
export type GenerateArgs = z.infer<typeof generateArgs>;

export interface GenerateOutcome {
  /** Uri strings of the saved files, in order. */
  files: string[];
  images: { uri: string; width: number; height: number; format: string }[];
}

/** For callers other than the command (the sidebar): their own cancel, progress and editor choice. */
export interface GenerateHooks {
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** false: ignore the active editor (no selection prompt, no link); the sidebar inserts on request. */
  useEditor?: boolean;
  /** Receives failure messages instead of a notification (a chat tool returns them to the model). */
  onError?: (message: string) => void;
}

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

  const request: GenerateRequest = {
    model: model.id,
    prompt,
    size,
    quality: args.quality ?? (model.qualities.includes(settings.quality) ? settings.quality : undefined),
    outputFormat: model.formats.length ? (args.outputFormat ?? settings.outputFormat) : undefined,
    n: args.n ?? Math.min(settings.n, model.maxN),
  };
  const valid = validateRequest(request);
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

  const target: InsertTarget | undefined = editor ? { document: editor.document, selection: editor.selection } : undefined;
  const saveAs = { outputFolder: args.folder ?? settings.outputFolder, explicitFolder: args.folder !== undefined, fileName: args.fileName };
  return run(services, valid.value, settings, gateway, target, args.insert ?? settings.insert, saveAs, hooks);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

async function chooseSize(services: Services, settings: Settings, modelId: string): Promise<string | undefined> {
  const model = getModel(modelId);
  // A model with a single choice (gpt-image-2-auto) needs no question.
  if (model.sizes.length === 0 && model.allowsAuto && !model.allowsCustomSize) return 'auto';
  if (!settings.askForSize) return settings.size;
  const last = services.state.get<string>(STATE_LAST_SIZE);
  return pickSize(modelId, last ?? settings.size, last === undefined);
}

async function run(
  services: Services,
  request: GenerateRequest,
  settings: Settings,
  gateway: { apiRoot: string; key: string },
  target: InsertTarget | undefined,
  insert: Settings['insert'],
  saveAs: { outputFolder: string; explicitFolder: boolean; fileName?: string },
  hooks: GenerateHooks,
): Promise<GenerateOutcome | undefined> {
  const started = Date.now();
  const done = services.running.begin();
  const { log } = services;
  log.info(
    `generate model=${request.model} size=${request.size ?? '-'} quality=${request.quality ?? '-'} n=${request.n ?? 1} format=${request.outputFormat ?? '-'}`,
  );
  let reserved: vscode.Uri[] = [];
  const controller = new AbortController();
  const abort = () => controller.abort();
  hooks.signal?.addEventListener('abort', abort, { once: true });
  if (hooks.signal?.aborted) abort();
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('GPT Image'), cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(abort);
        const stage = new StageReporter(progress, hooks.onProgress);
        let result: GenerationResult;
        try {
          result = await generateImages(request, {
            baseUrl: gateway.apiRoot,
            apiKey: gateway.key,
            timeoutMs: settings.timeoutSeconds * 1000,
            signal: controller.signal,
            onProgress: (e) => stage.update(e),
            onLog: (e) => log.info(formatLogEvent(e)),
          });
        } finally {
          stage.dispose();
        }
        progress.report({ message: vscode.l10n.t('Saving…') });
        const targets = await chooseTargets({
          document: target?.document,
          prompt: request.prompt,
          ...saveAs,
          extensions: result.images.map((i) => extensionFor(i.format)),
          now: new Date(),
        });
        if (!targets.ok) {
          if ('message' in targets) throw new UserFacingError(targets.message);
          throw new ImageApiError({
            kind: 'cancelled',
            userMessage: vscode.l10n.t('GPT Image: no place to save was chosen. Nothing was saved.'),
          });
        }
        reserved = targets.uris;
        if (controller.signal.aborted)
          throw new ImageApiError({ kind: 'cancelled', userMessage: vscode.l10n.t('GPT Image: generation cancelled. Nothing was saved.') });
        const files: ImageFile[] = result.images.map((img, i) => ({
          uri: targets.uris[i]!,
          bytes: img.bytes,
          width: img.width,
          height: img.height,
        }));
        const liveTarget = target && !target.document.isClosed ? target : undefined;
        const text = liveTarget ? linksFor(liveTarget, files, request.prompt, insert) : undefined;
        if (!(await writeAndInsert(files, liveTarget, text))) {
          throw new UserFacingError(
            vscode.l10n.t('GPT Image: the image could not be saved or linked (is the document read-only?). Nothing was written.'),
          );
        }
        await services.history.add({
          id: `${started}-${Math.random().toString(36).slice(2, 8)}`,
          time: started,
          prompt: request.prompt,
          model: result.model,
          size: result.size ?? request.size,
          quality: request.quality,
          format: result.images[0]?.format,
          n: request.n,
          status: 'succeeded',
          durationMs: Date.now() - started,
          usage: result.usage as Record<string, unknown> | undefined,
          files: files.map((f, i) => ({ uri: f.uri.toString(), width: f.width, height: f.height, format: result.images[i]!.format })),
        });
        log.info(`saved ${files.map((f) => vscode.workspace.asRelativePath(f.uri)).join(', ')} in ${Date.now() - started} ms`);
        // The studio shows its own results; the editor flow says where the files went.
        if (hooks.useEditor !== false) void announce(files.map((f) => f.uri));
        return {
          files: files.map((f) => f.uri.toString()),
          images: files.map((f, i) => ({ uri: f.uri.toString(), width: f.width, height: f.height, format: result.images[i]!.format })),
        };
      },
    );
  } catch (err) {
    await reportFailure(services, request, started, err, hooks);
    return undefined;
  } finally {
    // A caller's long-lived signal must not keep a listener (and this generation) per call.
    hooks.signal?.removeEventListener('abort', abort);
    release(reserved);
    done();
  }
}

/** An error whose message is already written for the user. */
class UserFacingError extends Error {}

async function reportFailure(
  services: Services,
  request: GenerateRequest,
  started: number,
  err: unknown,
  hooks: GenerateHooks,
): Promise<void> {
  const cancelled = err instanceof ImageApiError && err.kind === 'cancelled';
  const message =
    err instanceof ImageApiError
      ? err.userMessage
      : err instanceof UserFacingError
        ? err.message
        : vscode.l10n.t('GPT Image: unexpected error: {0}', String(err));
  const clean = services.log.clean(message);
  if (err instanceof ImageApiError) {
    services.log.error(
      `failed kind=${err.kind} status=${err.status ?? '-'} request-id=${err.requestId ?? '-'} retries=${err.retries}: ${services.log.clean(err.serverMessage ?? err.message)}`,
    );
  } else {
    services.log.error(clean);
  }
  await services.history.add({
    id: `${started}-${Math.random().toString(36).slice(2, 8)}`,
    time: started,
    prompt: request.prompt,
    model: request.model,
    size: request.size,
    quality: request.quality,
    format: request.outputFormat,
    n: request.n,
    status: cancelled ? 'cancelled' : 'failed',
    error: clean,
    durationMs: Date.now() - started,
    files: [],
  });
  if (hooks.onError) {
    hooks.onError(clean);
    return;
  }
  if (cancelled) {
    void vscode.window.showInformationMessage(vscode.l10n.t('GPT Image: generation cancelled. Nothing was saved.'));
    return;
  }
  const showLog = vscode.l10n.t('Show Log');
  void vscode.window.showErrorMessage(clean, showLog).then((pick) => pick === showLog && services.log.show());
}

async function announce(uris: vscode.Uri[]): Promise<void> {
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal in Explorer');
  const names = uris.map((u) => vscode.workspace.asRelativePath(u)).join(', ');
  const pick = await vscode.window.showInformationMessage(vscode.l10n.t('GPT Image: saved {0}', names), open, reveal);
  if (pick === open) for (const u of uris) await vscode.commands.executeCommand('vscode.open', u, { preview: uris.length === 1 });
  if (pick === reveal) await vscode.commands.executeCommand('revealInExplorer', uris[0]);
}

function formatLogEvent(e: LogEvent): string {
  return [
    `${e.endpoint}`,
    `model=${e.model}`,
    e.size && `size=${e.size}`,
    e.quality && `quality=${e.quality}`,
    e.n !== undefined && `n=${e.n}`,
    `attempt=${e.attempt}`,
    `status=${e.status ?? '-'}`,
    `${e.elapsedMs} ms`,
    e.bytes !== undefined && `${e.bytes} bytes`,
    `request-id=${e.requestId ?? '-'}`,
    e.error && `error=${e.error}`,
  ]
    .filter(Boolean)
    .join(' ');
}

/** Turns client progress into the notification's message, with elapsed seconds while waiting. */
class StageReporter {
  private readonly started = Date.now();
  private label = vscode.l10n.t('Sending request…');
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly progress: vscode.Progress<{ message?: string }>,
    private readonly echo?: (message: string) => void,
  ) {
    this.render();
    this.timer = setInterval(() => this.render(), 1000);
  }

  update(e: ProgressEvent): void {
    switch (e.stage) {
      case 'sending':
        this.label = e.attempt > 1 ? vscode.l10n.t('Sending request (attempt {0})…', e.attempt) : vscode.l10n.t('Sending request…');
        break;
      case 'waiting':
        this.label = vscode.l10n.t('Waiting for the server…');
        break;
      case 'retrying':
        this.label = vscode.l10n.t('Server busy; retrying in {0} s…', Math.ceil((e.delayMs ?? 0) / 1000));
        break;
      case 'downloading':
        this.label = vscode.l10n.t('Downloading image {0} of {1}…', e.index ?? 1, e.total ?? 1);
        break;
      case 'decoding':
        this.label = vscode.l10n.t('Checking images…');
        break;
    }
    this.render();
  }

  private render(): void {
    const message = `${this.label} ${Math.floor((Date.now() - this.started) / 1000)} s`;
    this.progress.report({ message });
    this.echo?.(message);
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
