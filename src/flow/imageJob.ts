// One image request from start to finish, whatever made it (generation, async task, edit):
// call the gateway under a cancellable progress, save the files, link them, record the history.
import * as vscode from 'vscode';
import type { ClientOptions, GenerationResult, LogEvent, PartialImage } from '../core/client';
import type { EditFile } from '../core/edits';
import { ImageApiError } from '../core/errors';
import { actualCost } from '../core/actualCost';
import { recordRequest } from '../core/historyEntry';
import { extensionFor } from '../core/images';
import { carriesAlt, resolveLinkStyle } from '../core/links';
import { message } from '../core/messages';
import { asTaskRequest, describeDropped } from '../core/options';
import { gatewayHost } from '../core/recipe';
import { sleep } from '../core/retry';
import type { GenerateRequest } from '../core/request';
import type { Settings } from '../config/settings';
import { linksFor, writeAndInsert, type ImageFile, type InsertTarget } from '../editor/insertImages';
import type { Services } from '../services/services';
import { userText } from '../services/userText';
import { chooseTargets, release } from '../workspace/targets';
import { costDeclined, estimateOf } from './costGate';
import { altTextFor } from './promptHelp';
import type { Gateway } from '../services/gateway';
import { savedBytes } from './savedRecipe';
import { StageReporter } from './stageReporter';

export interface GenerateOutcome {
  /** Uri strings of the saved files, in order. */
  files: string[];
  images: { uri: string; width: number; height: number; format: string }[];
}

/** How the caller follows the run; without `onError`, failures are notifications. */
export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Receives failure messages instead of a notification (the studio's job row, a chat tool's answer). */
  onError?: (message: string) => void;
  /** Each partial image of a streamed answer as it arrives (the studio's job card, the preview panel); never saved. */
  onPreview?: (image: PartialImage) => void;
}

export interface SaveAs {
  outputFolder: string;
  explicitFolder: boolean;
  fileName?: string;
  /** Save into exactly this folder (next to an edited image) instead of the output folder. */
  directory?: vscode.Uri;
}

/** How the request reaches the gateway. */
export type ImageCall = (opts: ClientOptions) => Promise<GenerationResult>;

export interface ImageJob {
  request: GenerateRequest;
  call: ImageCall;
  /** The same request as an async task, offered when a synchronous one hits a gateway timeout. */
  asAsync?: ImageCall;
  settings: Settings;
  gateway: Gateway;
  target?: InsertTarget;
  insert: Settings['insert'];
  saveAs: SaveAs;
  /** Open the saved files when done (edits). */
  openWhenDone?: boolean;
  /** Say where the files went (the editor commands; the studio and chat show results themselves). */
  announce: boolean;
  /** The images an edit sends, for the log; `sources` names them (URI strings) for the history. */
  edit?: EditImages;
  /** The history entry whose result this job refines. */
  parent?: string;
  /** See ImageOrder.chosenByCaller. */
  chosenByCaller?: readonly string[];
  run: RunOptions;
}

export interface EditImages {
  images: readonly EditFile[];
  mask?: EditFile;
  sources?: readonly string[];
}

export async function runImageJob(services: Services, job: ImageJob): Promise<GenerateOutcome | undefined> {
  const { request, settings, gateway, target, run, edit } = job;
  const estimate = estimateOf(services, request);
  // Declined: nothing sent, nothing written, no history; the user's own answer needs no notification.
  const declined = await costDeclined(services, request, settings, estimate, job.chosenByCaller);
  if (declined) {
    run.onError?.(declined);
    return undefined;
  }
  const started = Date.now();
  const done = services.running.begin();
  const { log } = services;
  // The other options only when sent (the user id never: it is the user's, not the request's story).
  const extras = (['background', 'moderation', 'outputCompression', 'inputFidelity', 'partialImages'] as const)
    .filter((k) => request[k] !== undefined)
    .map((k) => ` ${k}=${request[k]}`)
    .join('');
  log.info(
    `${edit ? 'edit' : 'generate'} model=${request.model} size=${request.size ?? '-'} quality=${request.quality ?? '-'} n=${request.n ?? 1} format=${request.outputFormat ?? '-'}${extras}${edit ? ` images=${edit.images.length} mask=${edit.mask ? 'yes' : 'no'}` : ''}`,
  );
  let reserved: vscode.Uri[] = [];
  const controller = new AbortController();
  const abort = () => controller.abort();
  run.signal?.addEventListener('abort', abort, { once: true });
  if (run.signal?.aborted) abort();
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('GPT Image'), cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(abort);
        const stage = new StageReporter(progress, run.onProgress);
        let result: GenerationResult;
        try {
          result = await job.call({
            baseUrl: gateway.apiRoot,
            apiKey: gateway.key,
            ...clock(settings.timeoutSeconds, services.timeScale),
            signal: controller.signal,
            onProgress: (e) => stage.update(e),
            ...(run.onPreview ? { onPartialImage: run.onPreview } : {}),
            onLog: (e) => log.info(formatLogEvent(e)),
            network: services.network,
          });
        } finally {
          stage.dispose();
        }
        progress.report({ message: vscode.l10n.t('Saving…') });
        const targets = await chooseTargets({
          document: target?.document,
          prompt: request.prompt,
          ...job.saveAs,
          extensions: result.images.map((i) => extensionFor(i.format)),
          now: new Date(),
        });
        if (!targets.ok) {
          if ('message' in targets) throw new UserFacingError(targets.message);
          throw new ImageApiError({ kind: 'cancelled', detail: message('noPlaceChosen', {}) });
        }
        reserved = targets.uris;
        if (controller.signal.aborted) throw new ImageApiError({ kind: 'cancelled', detail: message('generationCancelled', {}) });
        const files: ImageFile[] = result.images.map((img, i) => ({
          uri: targets.uris[i]!,
          bytes: savedBytes(job, result, img, log),
          width: img.width,
          height: img.height,
        }));
        const liveTarget = target && !target.document.isClosed ? target : undefined;
        const style = liveTarget && resolveLinkStyle(job.insert, liveTarget.document.languageId);
        let alt: string | undefined;
        if (settings.altText === 'describe' && style && carriesAlt(style)) {
          progress.report({ message: vscode.l10n.t('Writing the alt text…') });
          alt = await altTextFor(services, settings.altText, request.prompt, result.images[0]?.revisedPrompt, controller.signal);
          if (controller.signal.aborted) throw new ImageApiError({ kind: 'cancelled', detail: message('generationCancelled', {}) });
        }
        const links = liveTarget ? linksFor(liveTarget, files, request.prompt, job.insert, alt) : undefined;
        if (!(await writeAndInsert(files, liveTarget, links))) {
          throw new UserFacingError(
            vscode.l10n.t('GPT Image: the image could not be saved or linked (is the document read-only?). Nothing was written.'),
          );
        }
        const images = files.map((f, i) => ({ uri: f.uri.toString(), width: f.width, height: f.height, format: result.images[i]!.format }));
        const actual = actualCost(result.model, result.usage);
        log.info(`cost ${describeCost(actual, estimate)}`);
        await services.history.add({
          ...historyBase(job, started, estimate),
          ...(actual === undefined ? {} : { actual }),
          model: result.model,
          size: result.size ?? request.size,
          format: result.images[0]?.format,
          status: 'succeeded',
          usage: result.usage as Record<string, unknown> | undefined,
          files: images,
        });
        log.info(`saved ${files.map((f) => vscode.workspace.asRelativePath(f.uri)).join(', ')} in ${Date.now() - started} ms`);
        if (job.openWhenDone) {
          for (const f of files) await vscode.commands.executeCommand('vscode.open', f.uri, { preview: files.length === 1 });
        } else if (job.announce) {
          void announce(files.map((f) => f.uri));
        }
        return { files: images.map((i) => i.uri), images };
      },
    );
  } catch (err) {
    await reportFailure(services, job, started, estimate, err);
    return undefined;
  } finally {
    // A caller's long-lived signal must not keep a listener (and this generation) per call.
    run.signal?.removeEventListener('abort', abort);
    release(reserved);
    done();
  }
}

/** An error whose message is already written for the user. */
export class UserFacingError extends Error {}

/** What every entry records of the job: enough to run it again, and where it came from. */
function historyBase({ request, edit, parent, gateway }: ImageJob, started: number, estimate: number | undefined) {
  const host = gatewayHost(gateway.apiRoot);
  return {
    id: `${started}-${Math.random().toString(36).slice(2, 8)}`,
    time: started,
    prompt: request.prompt,
    quality: request.quality,
    n: request.n,
    durationMs: Date.now() - started,
    kind: edit ? ('edit' as const) : ('generate' as const),
    ...(edit ? { sources: [...(edit.sources ?? [])], mask: edit.mask !== undefined } : {}),
    request: recordRequest(request),
    ...(parent ? { parent } : {}),
    ...(host ? { gateway: host } : {}),
    ...(estimate === undefined ? {} : { estimate }),
  };
}

/** For the log: "$0.042 (estimate $0.053)", "estimate $0.053" or "unknown". */
function describeCost(actual: number | undefined, estimate: number | undefined): string {
  const usd = (v: number) => `$${v.toFixed(v < 1 ? 4 : 2)}`;
  if (actual !== undefined) return `${usd(actual)} from usage${estimate === undefined ? '' : ` (estimate ${usd(estimate)})`}`;
  return estimate === undefined ? 'unknown (no price)' : `estimate ${usd(estimate)} (no usage to price)`;
}

/** A gateway timeout on a synchronous request: an async task does not hold one request open that long. */
function isGatewayTimeout(err: unknown): boolean {
  return err instanceof ImageApiError && (err.status === 504 || err.status === 524);
}

/** Logs, records and shows the failure; after a gateway timeout the notification can start the job again as a task. */
async function reportFailure(
  services: Services,
  job: ImageJob,
  started: number,
  estimate: number | undefined,
  err: unknown,
): Promise<void> {
  const { request, run } = job;
  const cancelled = err instanceof ImageApiError && err.kind === 'cancelled';
  let message =
    err instanceof ImageApiError
      ? userText(err.detail)
      : err instanceof UserFacingError
        ? err.message
        : vscode.l10n.t('GPT Image: unexpected error: {0}', String(err));
  const offerAsync = job.asAsync !== undefined && isGatewayTimeout(err);
  if (offerAsync) {
    message += ` ${vscode.l10n.t('Async mode (setting "gptImage.mode": "async") polls a task instead of holding one long request open.')}`;
  }
  const clean = services.log.clean(message);
  if (err instanceof ImageApiError) {
    services.log.error(
      `failed kind=${err.kind} status=${err.status ?? '-'} request-id=${err.requestId ?? '-'} retries=${err.retries}: ${services.log.clean(err.serverMessage ?? err.message)}`,
    );
  } else {
    services.log.error(clean);
  }
  await services.history.add({
    ...historyBase(job, started, estimate),
    model: request.model,
    size: request.size,
    format: request.outputFormat,
    status: cancelled ? 'cancelled' : 'failed',
    error: clean,
    files: [],
  });
  if (run.onError) return run.onError(clean);
  if (cancelled) {
    void vscode.window.showInformationMessage(vscode.l10n.t('GPT Image: generation cancelled. Nothing was saved.'));
    return;
  }
  const showLog = vscode.l10n.t('Show Log');
  const retryAsync = vscode.l10n.t('Retry as Async Task');
  // Not awaited: the command ends now; a retry is a new job with its own progress and result.
  void vscode.window.showErrorMessage(clean, ...(offerAsync ? [retryAsync, showLog] : [showLog])).then((pick) => {
    if (pick === showLog) services.log.show();
    if (pick === retryAsync)
      void runImageJob(services, { ...job, request: taskRequest(services, request), call: job.asAsync!, asAsync: undefined });
  });
}

/** The request as a polled task sends it (asTaskRequest), with what it leaves out logged. */
export function taskRequest(services: Services, request: GenerateRequest): GenerateRequest {
  const task = asTaskRequest(request);
  if (task.dropped.length) services.log.info(describeDropped(task.dropped));
  return task.request;
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

/** The call's deadline and waits; a test's time scale (Services.timeScale) shortens both alike. */
function clock(timeoutSeconds: number, scale = 1): Pick<ClientOptions, 'timeoutMs' | 'sleep'> {
  if (scale === 1) return { timeoutMs: timeoutSeconds * 1000 };
  return { timeoutMs: timeoutSeconds * 1000 * scale, sleep: (ms, signal) => sleep(ms * scale, signal) };
}
