// The Image Studio sidebar: a webview view whose every message is checked against the protocol
// before anything runs. Files are only acted on when a history entry names them.
import * as vscode from 'vscode';
import { Commands } from '../config/commandIds';
import { getModel } from '../core/catalog';
import { describeDropped, fitRequest } from '../core/options';
import { MAX_REFERENCES } from '../core/editLimits';
import type { EditFile } from '../core/edits';
import { findFile } from '../core/historyEntry';
import type { GenerateRequest } from '../core/request';
import { decodeBase64 } from '../core/images';
import { generate, type ImageOrder } from '../flow/generation';
import { repeatOrder } from '../flow/iterate';
import { improvePrompt } from '../flow/promptHelp';
import type { Settings } from '../config/settings';
import {
  cleanText,
  describeInvalid,
  type EntryView,
  formSchema,
  type InitMessage,
  MAX_PROMPT,
  PAGE_SIZE,
  parseToHost,
  type FormState,
  type ToHost,
  type ToWebview,
} from '../protocol';
import { readPrices, readSettings, readUserSettings } from '../config/settings';
import type { Services } from '../services/services';
import { copyMarkdown, copyPath, deleteFile, insertAtCursor, openFile, revealFile, type KnownFile } from './fileActions';
import { cachedModelIds, fetchModelIds, refreshStaleModelIds } from './gatewayModels';
import { compareView, parentPair, twoResults } from './compare';
import { pageOf } from './historyQuery';
import { studioHtml } from './html';
import { StudioJobs, type Job } from './jobs';
import { studioStrings } from './studioStrings';
import { acceptDropped, ReferenceSet, resultInWorkspace } from './references';
import { imageRoots, loadForm, loadFormRevision, saveForm, savePageForm } from './studioState';
import { costOf, entryViews, jobEntry, jobFiles, jobView, missingFiles, PreviewCounter, spentRows } from './views';
import type { HistoryEntry } from '../workspace/history';
import { imageFileName } from '../workspace/imageFiles';
import { workspaceFile } from '../workspace/workspaceFile';

export const STUDIO_VIEW = 'gptImage.studio';
/** Distinct invalid messages logged per session; a misbehaving page cannot flood the log. */
const MAX_WARNINGS = 20;

type FileMessage = Extract<ToHost, { file: string }>;

/** The studio as the integration tests reach it: what the page would send once ready, and what it was sent. */
export interface StudioTap {
  posted: ToWebview[];
  receive(raw: unknown): Promise<void>;
}
type EditInput = { images: EditFile[]; mask?: EditFile; sources: readonly string[] };

/** Exported for integration tests, which drive it with a stand-in view. */
export class StudioViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private viewDisposables: vscode.Disposable[] = [];
  private ready = false;
  /**
   * The shell's `init` serves the page's first `ready` only, and only if nothing was dropped while the page loaded;
   * otherwise (or when VS Code reloads the same page, after the image roots changed) `ready` gets a fresh one.
   */
  private shellStale = false;
  /** The history page in the shell, whose missing files are checked once the page is ready. */
  private shellViews: EntryView[] = [];
  private query = '';
  private shown = 0;
  private roots = new Set<string>();
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly warned = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly jobs: StudioJobs;
  /** The only files an edit may upload; kept across the view being hidden or reloaded. */
  private readonly references = new ReferenceSet();
  /** Test mode only (the TestApi): every message posted, and messages taken as from a ready page. */
  readonly tap: StudioTap | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: Services,
    testMode: boolean,
  ) {
    this.tap = testMode
      ? {
          posted: [],
          receive: async (raw) => {
            const msg = parseToHost(raw);
            if (!msg) throw new Error(`invalid message: ${describeInvalid(raw)}`);
            await this.handle(msg);
          },
        }
      : undefined;
    this.jobs = new StudioJobs(
      {
        progress: (job) =>
          this.post({
            type: 'jobProgress',
            jobId: job.jobId,
            message: cleanText(job.message, 4096),
            elapsed: Date.now() - job.started,
          }),
        done: (job) => void this.jobDone(job),
        failed: (job) => this.post({ type: 'jobFailed', jobId: job.jobId, message: cleanText(job.message, 4096) }),
      },
      {
        starting: vscode.l10n.t('Starting…'),
        cancelled: vscode.l10n.t('Cancelled.'),
        failed: vscode.l10n.t('Failed. The log says why.'),
      },
    );
    this.disposables.push(
      // Focus moving to the sidebar leaves no active editor; the insert button still needs the last one.
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) this.lastEditor = e;
      }),
      services.history.onDidChange(() => void this.historyChanged()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        // A new base URL means another gateway's model list.
        if (['prices', 'outputFolder', 'baseUrl'].some((k) => e.affectsConfiguration(`gptImage.${k}`))) void this.sendInit();
        else if (e.affectsConfiguration('gptImage.model')) void this.modelSettingChanged();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.updateRoots()),
      services.chat.onDidChangeAvailability((available) => this.postPromptHelp(available)),
    );
  }

  async resolveWebviewView(view: vscode.WebviewView): Promise<void> {
    this.disposeView();
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const roots = await this.computeRoots();
    this.roots = new Set(roots.map((r) => r.toString()));
    view.webview.options = { enableScripts: true, localResourceRoots: roots };
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      view.onDidDispose(() => {
        if (this.view === view) this.disposeView();
      }),
    );
    const uri = (name: string) => view.webview.asWebviewUri(vscode.Uri.joinPath(dist, name)).toString();
    // The page starts from the shell's data: no `ready` round trip before the history shows.
    const { init, views } = this.initMessage(view.webview, await this.services.history.all());
    this.shellViews = views;
    this.shellStale = false;
    view.webview.html = studioHtml({
      cspSource: view.webview.cspSource,
      scriptUri: uri('webview.js'),
      styleUri: uri('webview.css'),
      codiconUri: uri('codicon.css'),
      lang: vscode.env.language,
      title: vscode.l10n.t('Image Studio'),
      strings: studioStrings(vscode.l10n),
      init,
    });
  }

  private async computeRoots(): Promise<vscode.Uri[]> {
    return [
      vscode.Uri.joinPath(this.extensionUri, 'dist'),
      vscode.Uri.joinPath(this.extensionUri, 'media'),
      ...imageRoots(await this.services.history.all()),
      ...this.references.roots(),
    ];
  }

  /** Widens the image roots when a new folder appears; VS Code may reload the page, which then says `ready` again. */
  private async updateRoots(): Promise<void> {
    if (!this.view) return;
    const roots = await this.computeRoots();
    if (roots.every((r) => this.roots.has(r.toString()))) return;
    this.roots = new Set(roots.map((r) => r.toString()));
    this.view.webview.options = { enableScripts: true, localResourceRoots: roots };
  }

  /** Choose Model (or an edit of the user's setting) picks the studio's model too; a workspace's does not (loadForm). */
  private async modelSettingChanged(): Promise<void> {
    const id = readUserSettings().settings.model;
    const form = formSchema.safeParse({ ...loadForm(this.services.state), model: id });
    if (!form.success) return;
    this.post({ type: 'model', id, revision: await saveForm(this.services.state, form.data) });
  }

  private post(message: ToWebview): void {
    // The newest 200 are plenty for a test, and a long session keeps no more.
    if (this.tap && this.tap.posted.push(message) > 200) this.tap.posted.shift();
    if (!this.view) return;
    if (this.ready) void this.view.webview.postMessage(message);
    else this.shellStale = true;
  }

  private warnOnce(reason: string): void {
    if (this.warned.has(reason) || this.warned.size >= MAX_WARNINGS) return;
    this.warned.add(reason);
    this.services.log.warn(`studio: ignored a message from the view: ${reason}`);
  }

  private async receive(raw: unknown): Promise<void> {
    const msg = parseToHost(raw);
    if (!msg) return this.warnOnce(describeInvalid(raw));
    // Nothing is sent, and nothing but the handshake accepted, before the page says it is ready.
    if (msg.type !== 'ready' && !this.ready) return this.warnOnce(`"${msg.type}" before "ready"`);
    try {
      await this.handle(msg);
    } catch (err) {
      this.services.log.error(`studio: ${msg.type} failed: ${String(err)}`);
      void vscode.window.showErrorMessage(this.services.log.clean(vscode.l10n.t('GPT Image: {0}', String(err))));
    }
  }

  private async handle(msg: ToHost): Promise<void> {
    switch (msg.type) {
      case 'ready': {
        // The page has already shown the shell's `init`; it is sent again only if that went out of date.
        const fresh = !this.ready && !this.shellStale;
        this.ready = true;
        this.shellStale = true;
        if (!fresh || !this.view) return this.sendInit();
        return this.afterInit(this.view.webview, this.shellViews);
      }
      case 'generate':
        return this.generate(msg.jobId, msg.options);
      case 'edit':
        return this.edit(msg.jobId, msg.options, msg.images, msg.mask);
      case 'pickReferences':
        return this.pickReferences();
      case 'dropReferences': {
        const { uris, problem } = await acceptDropped(msg.uris);
        return this.addReferences(uris, problem);
      }
      case 'removeReference':
        if (!this.references.remove(msg.uri)) return this.warnOnce('"removeReference" for a file not in the list');
        return this.postReferences();
      case 'cancel':
        return this.jobs.cancel(msg.jobId);
      case 'useSelection':
        return this.sendSelection();
      case 'improvePrompt':
        return this.improvePrompt(msg.prompt, msg.model);
      case 'insert':
      case 'open':
      case 'reveal':
      case 'copyMarkdown':
      case 'copyPath':
      case 'delete':
        return this.fileAction(msg);
      case 'reusePrompt':
        return this.reusePrompt(msg.entryId);
      case 'refine':
        return this.refine(msg.file);
      case 'moreLikeThis':
        return this.moreLikeThis(msg.jobId, msg.entryId);
      case 'showInfo':
        return this.showInfo(msg.file);
      case 'compare':
      case 'compareParent':
        return this.compare(msg);
      case 'refreshModels': {
        const ids = await fetchModelIds(this.services);
        if (ids) this.post({ type: 'models', ids });
        return;
      }
      case 'saveForm':
        return savePageForm(this.services.state, msg.form, msg.revision);
      case 'search':
        this.query = msg.query;
        return this.sendHistory(0);
      case 'loadMore':
        return this.sendHistory(this.shown);
    }
  }

  /** The page's starting point, unfiltered; the host's search and paging start over with it. */
  private initMessage(webview: vscode.Webview, entries: readonly HistoryEntry[]): { init: InitMessage; views: EntryView[] } {
    this.query = '';
    const page = pageOf(entries, '', 0, PAGE_SIZE);
    this.shown = page.entries.length;
    const views = entryViews(webview, page.entries, entries);
    const init: InitMessage = {
      type: 'init',
      form: loadForm(this.services.state),
      formRevision: loadFormRevision(this.services.state),
      models: cachedModelIds(this.services),
      prices: readPrices(this.services.log),
      streamingModels: readSettings().settings.streamingModels,
      history: { entries: views, total: page.total, offset: 0, query: '', spent: spentRows(entries) },
      jobs: this.jobs.list().map((j) => jobView(webview, j, entries)),
    };
    return { init, views };
  }

  private async sendInit(): Promise<void> {
    if (!this.view || !this.ready) {
      if (this.view) this.shellStale = true;
      return;
    }
    const webview = this.view.webview;
    const entries = await this.services.history.all();
    if (this.view?.webview !== webview || !this.ready) return;
    const { init, views } = this.initMessage(webview, entries);
    // The extension host sends a message only once the code after postMessage has run (in the bench,
    // 5–30 ms for the model list check and the 50 file checks), so that waits until the page has it.
    if (!(await webview.postMessage(init))) return;
    await this.afterInit(webview, views);
  }

  /** What follows `init`, from the shell or a message: nothing here holds up the page's first paint. */
  private async afterInit(webview: vscode.Webview, views: readonly EntryView[]): Promise<void> {
    // A missing or day-old list is fetched in the background, only with a key already stored.
    refreshStaleModelIds(this.services, (ids) => this.post({ type: 'models', ids }));
    void this.services.chat.available().then((available) => this.postPromptHelp(available));
    this.postReferences();
    await this.sendMissing(webview, views);
  }

  private async sendHistory(offset: number): Promise<void> {
    if (!this.view) return;
    const webview = this.view.webview;
    const query = this.query;
    const entries = await this.services.history.all();
    const page = pageOf(entries, query, offset, PAGE_SIZE);
    // A newer search may have started while the history was read; its answer wins.
    if (query !== this.query) return;
    this.shown = offset + page.entries.length;
    const views = entryViews(webview, page.entries, entries);
    if (this.view?.webview !== webview || !this.ready) return;
    // As in sendInit: the file checks wait until the page has the entries.
    const spent = spentRows(entries);
    if (await webview.postMessage({ type: 'history', entries: views, total: page.total, offset, query, spent } satisfies ToWebview)) {
      await this.sendMissing(webview, views);
    }
  }

  /** Checking every file on disk is slow, so the page is shown first and deleted files are marked after. */
  private async sendMissing(webview: vscode.Webview, views: readonly EntryView[]): Promise<void> {
    const files = await missingFiles(views);
    if (files.length && this.view?.webview === webview) this.post({ type: 'missingFiles', files });
  }

  private async historyChanged(): Promise<void> {
    await this.updateRoots();
    if (this.ready) await this.sendHistory(0);
    else if (this.view) this.shellStale = true;
  }

  /** A generation, or an edit when `edit` reads its files (at the job's start, so a failure shows on its row). */
  private async generate(jobId: string, form: FormState, edit?: () => Promise<EditInput | string>): Promise<void> {
    if (this.jobs.has(jobId)) return this.warnOnce(`duplicate job id`);
    if (!form.prompt.trim()) return this.post({ type: 'jobFailed', jobId, message: vscode.l10n.t('The prompt is empty.') });
    const model = getModel(form.model);
    const { settings } = readSettings();
    // The form follows the model only after a message: what the model does not take is left out.
    const preferred = { ...form, quality: form.quality || undefined, user: settings.user };
    const context = { edit: edit !== undefined, mode: edit ? 'sync' : settings.mode, streamingModels: settings.streamingModels } as const;
    const fit = fitRequest(model, {}, preferred, context);
    if (fit.dropped.length) this.services.log.info(describeDropped(fit.dropped));
    const request: GenerateRequest = { prompt: form.prompt, model: model.id, size: form.size, ...fit.options };
    return this.runJob(jobId, form.prompt, settings, async () => {
      if (!edit) return { request, mode: settings.mode };
      const files = await edit();
      return typeof files === 'string' ? files : { request, edit: files, mode: settings.mode };
    });
  }

  /** Runs the order made at the job's start; when it cannot be made, the reason shows on the job's row. */
  private async runJob(jobId: string, prompt: string, settings: Settings, order: () => Promise<ImageOrder | string>): Promise<void> {
    const previews = new PreviewCounter();
    await this.jobs.start(jobId, prompt, async (signal, onProgress, onError) => {
      const made = await order();
      if (typeof made === 'string') {
        onError(made);
        return undefined;
      }
      // Failures are shown on the job's row (onError) rather than as notifications; results on the page.
      const outcome = await generate(
        this.services,
        settings,
        made,
        { insert: 'none', saveAs: { outputFolder: settings.outputFolder, explicitFolder: false }, quiet: true },
        { signal, onProgress, onError, onPreview: (image) => this.post({ type: 'jobPreview', jobId, preview: previews.next(image) }) },
      );
      return outcome?.files;
    });
  }

  /** More like this: the entry's recorded request again, as a new job with new images. */
  private async moreLikeThis(jobId: string, entryId: string): Promise<void> {
    if (this.jobs.has(jobId)) return this.warnOnce(`duplicate job id`);
    const entry = (await this.services.history.all()).find((e) => e.id === entryId);
    if (!entry) {
      this.warnOnce('"moreLikeThis" for an unknown history entry');
      return this.post({ type: 'jobFailed', jobId, message: vscode.l10n.t('That history entry is gone; nothing was sent.') });
    }
    const { settings } = readSettings();
    return this.runJob(jobId, cleanText(entry.prompt, MAX_PROMPT), settings, () => repeatOrder(entry, settings));
  }

  /**
   * Refine this: the result becomes the only reference image and its prompt the form's, so the next
   * edit refines it. Only a file a history entry names, inside a workspace folder.
   */
  private async refine(file: string): Promise<void> {
    const found = await resultInWorkspace(await this.services.history.all(), file);
    if (!found) return this.warnOnce('"refine" for a file not in the history');
    if ('problem' in found) return this.postReferences(found.problem);
    const problem = await this.references.replace([found.uri]);
    await this.updateRoots();
    this.postReferences(problem);
    // The file could not be used: the form keeps what it had, and the reason shows under the references.
    if (problem) return;
    const form: FormState = { ...loadForm(this.services.state), prompt: cleanText(found.entry.prompt, MAX_PROMPT) };
    this.post({ type: 'form', form, revision: await saveForm(this.services.state, form) });
  }

  /** Show Generation Info, on a result in the workspace only: the page may name any file. */
  private async showInfo(file: string): Promise<void> {
    const found = await resultInWorkspace(await this.services.history.all(), file);
    if (!found) return this.warnOnce('"showInfo" for a file not in the history');
    if ('problem' in found) return void vscode.window.showWarningMessage(vscode.l10n.t('GPT Image: {0}', found.problem));
    await vscode.commands.executeCommand(Commands.showInfo, found.uri);
  }

  /** Two results under the page's slider: the host picks a parent's image itself, and checks both like Refine this. */
  private async compare(msg: Extract<ToHost, { type: 'compare' | 'compareParent' }>): Promise<void> {
    const entries = await this.services.history.all();
    const pick = msg.type === 'compare' ? await twoResults(entries, msg.files) : await parentPair(entries, msg.file);
    if (!pick) return this.warnOnce(`"${msg.type}" for a file not in the history`);
    if ('problem' in pick) return void vscode.window.showWarningMessage(vscode.l10n.t('GPT Image: {0}', pick.problem));
    const compare = this.view && compareView(this.view.webview, pick);
    if (compare) this.post({ type: 'compare', compare });
  }

  /** An edit of references the host accepted; the flow checks the model's image limit and the mask's size. */
  private async edit(jobId: string, form: FormState, images: readonly string[], mask: string | undefined): Promise<void> {
    // The page can only name files this host accepted: anything else is forged, so it reads nothing.
    if (images.some((uri) => !this.references.has(uri))) {
      this.warnOnce('"edit" names a file that is not an accepted reference image');
      if (!this.jobs.has(jobId)) {
        this.post({ type: 'jobFailed', jobId, message: vscode.l10n.t('A reference image is no longer in the list; add it again.') });
      }
      return;
    }
    let maskFile: EditFile | undefined;
    if (mask !== undefined) {
      const bytes = decodeBase64(mask);
      if (!bytes) return this.warnOnce('"edit" with a mask that is not base64');
      maskFile = { name: 'mask.png', bytes };
    }
    return this.generate(jobId, form, async () => {
      const read = await this.references.read(images);
      return read.ok ? { images: read.images, mask: maskFile, sources: images } : read.message;
    });
  }

  private async pickReferences(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: true,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { [vscode.l10n.t('Image files')]: ['png', 'jpg', 'jpeg', 'webp'] },
      openLabel: vscode.l10n.t('Add as reference'),
      title: vscode.l10n.t('Reference images to edit'),
    });
    if (picked?.length) await this.addReferences(picked, undefined);
  }

  private async addReferences(uris: readonly vscode.Uri[], problem: string | undefined): Promise<void> {
    const refused = await this.references.add(uris);
    // Their folders become loadable first, or the thumbnails would be blocked.
    await this.updateRoots();
    this.postReferences([problem, refused].filter(Boolean).join(' ') || undefined);
  }

  private postReferences(problem?: string): void {
    if (!this.view) return;
    this.post({
      type: 'references',
      references: this.references.views(this.view.webview),
      ...(problem ? { problem: cleanText(problem, 4096) } : {}),
    });
  }

  private async jobDone(job: Job): Promise<void> {
    if (!this.view) return;
    const entries = await this.services.history.all();
    const files = jobFiles(this.view.webview, job.files, entries);
    const entry = job.files[0] === undefined ? undefined : findFile(entries, job.files[0])?.entry;
    this.post({ type: 'jobDone', jobId: job.jobId, files, ...costOf(entry), ...jobEntry(job.files, entries) });
  }

  /** Improve prompt: the rewrite goes into the prompt box to read and send by hand; a failure leaves the box as it is. */
  private async improvePrompt(prompt: string, modelId: string): Promise<void> {
    // The editor the user is in, else the last one (focus in the studio leaves none active).
    const last = this.lastEditor && !this.lastEditor.document.isClosed ? this.lastEditor : undefined;
    const editor = vscode.window.activeTextEditor ?? last;
    let problem: string | undefined = prompt.trim() ? undefined : vscode.l10n.t('The prompt is empty.');
    const rewrite = problem
      ? undefined
      : await improvePrompt(
          this.services,
          { prompt, model: getModel(modelId), document: editor?.document, selection: editor?.selection },
          (message) => (problem = message),
        );
    this.post({
      type: 'improvedPrompt',
      ...(rewrite ? { prompt: cleanText(rewrite, MAX_PROMPT) } : {}),
      ...(problem ? { problem: cleanText(problem, 4096) } : {}),
    });
  }

  private postPromptHelp(available: boolean): void {
    this.post({ type: 'promptHelp', available });
  }

  private sendSelection(): void {
    const editor = this.lastEditor;
    const text = editor && !editor.document.isClosed && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
    if (!text.trim()) {
      void vscode.window.showInformationMessage(vscode.l10n.t('GPT Image: select some text in an editor first.'));
      return;
    }
    this.post({ type: 'selection', text: cleanText(text, MAX_PROMPT) });
  }

  private async reusePrompt(entryId: string): Promise<void> {
    const entry = (await this.services.history.all()).find((e) => e.id === entryId);
    if (!entry) return this.warnOnce('unknown history entry');
    const current = loadForm(this.services.state);
    const model = getModel(entry.model);
    const prompt = cleanText(entry.prompt, MAX_PROMPT);
    // An entry from an older version may hold values the form no longer takes; those keep the current ones.
    const candidate = formSchema.safeParse({
      ...current,
      prompt,
      model: entry.model,
      size: entry.size ?? current.size,
      quality: entry.quality && model.qualities.includes(entry.quality) ? entry.quality : current.quality,
      n: Math.min(Math.max(entry.n ?? current.n, 1), model.maxN),
    });
    const form: FormState = candidate.success ? candidate.data : { ...current, prompt };
    this.post({ type: 'form', form, revision: await saveForm(this.services.state, form) });
    // An edit comes back as an edit: its sources are the references again.
    if (entry.kind === 'edit' && entry.sources?.length) await this.restoreSources(entry.sources);
  }

  /** An edit's recorded sources as the references again; the history file is not ours alone to write, so each is checked. */
  private async restoreSources(sources: readonly string[]): Promise<void> {
    const uris: vscode.Uri[] = [];
    const refused: string[] = [];
    for (const source of sources.slice(0, MAX_REFERENCES)) {
      const checked = await workspaceFile(source);
      if (checked.ok) uris.push(checked.uri);
      else refused.push(checked.uri ? imageFileName(checked.uri) : vscode.l10n.t('a file'));
    }
    const outside = refused.length
      ? vscode.l10n.t('{0}: not a file in a workspace folder, so it was not added again.', refused.join(', '))
      : undefined;
    const problem = await this.references.replace(uris);
    await this.updateRoots();
    this.postReferences([outside, problem].filter(Boolean).join(' ') || undefined);
  }

  private async fileAction(msg: FileMessage): Promise<void> {
    const found = findFile(await this.services.history.all(), msg.file);
    if (!found) return this.warnOnce(`"${msg.type}" for a file not in the history`);
    const known: KnownFile = { ...found, uri: vscode.Uri.parse(found.file.uri, true) };
    switch (msg.type) {
      case 'insert':
        return insertAtCursor(known, this.lastEditor);
      case 'open':
        return openFile(known);
      case 'reveal':
        return revealFile(known);
      case 'copyMarkdown':
        return copyMarkdown(known, this.lastEditor);
      case 'copyPath':
        return copyPath(known);
      case 'delete':
        if (await deleteFile(known)) this.post({ type: 'deleted', file: msg.file });
        return;
    }
  }

  private disposeView(): void {
    for (const d of this.viewDisposables) d.dispose();
    this.viewDisposables = [];
    this.view = undefined;
    this.ready = false;
  }

  dispose(): void {
    this.disposeView();
    this.jobs.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Registers the studio view and the command that focuses it; in test mode `tap` reaches it. */
export function registerStudio(
  context: vscode.ExtensionContext,
  services: Services,
): { disposables: vscode.Disposable[]; tap: StudioTap | undefined } {
  const provider = new StudioViewProvider(context.extensionUri, services, context.extensionMode === vscode.ExtensionMode.Test);
  const disposables = [
    provider,
    // The page is kept while another view hides it: VS Code takes over a second to rebuild it, and kept it holds
    // about 5 MB of heap (README, Performance, has the figures).
    vscode.window.registerWebviewViewProvider(STUDIO_VIEW, provider, { webviewOptions: { retainContextWhenHidden: true } }),
    vscode.commands.registerCommand(Commands.openSidebar, async () => {
      await vscode.commands.executeCommand('workbench.view.extension.gptImage');
      await vscode.commands.executeCommand(`${STUDIO_VIEW}.focus`);
    }),
  ];
  return { disposables, tap: provider.tap };
}
