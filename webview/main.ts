// The studio webview: builds the UI from the `init` in the HTML shell (or, failing that, the host's answer to
// `ready`), and checks every message it gets.
// `./boot` comes first: it turns off zod's eval before any schema is built (the CSP forbids it) and makes the
// display language's text active before any module reads it.
import './boot';
import { formSchema, parseShellInit, parseToWebview, type FormState, type InitMessage } from '../src/protocol';
import { h } from './dom';
import { GenerateForm } from './form';
import { HistoryList } from './history';
import { CompareDialog, ComparePicker } from './compare';
import { markDeleted } from './imageCard';
import { JobList } from './jobs';
import { ReferencePanel } from './references';
import { S } from './strings';
import { patchState, send, viewState } from './vscodeApi';
import './style.css';

const app = document.getElementById('app')!;
let saveTimer: ReturnType<typeof setTimeout> | undefined;

function saveForm(form: FormState): void {
  patchState({ form });
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => send({ type: 'saveForm', form }), 400);
}

const jobs = new JobList();
const history = new HistoryList();
const references = new ReferencePanel(() => form.referencesChanged(references.first()));
const form = new GenerateForm(saveForm, (options) => void startJob(options), references);
const compareDialog = new CompareDialog();
const picker = new ComparePicker(app, compareDialog);
history.addTools(picker.toggle, picker.bar);

const newJobId = () => `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** A generation, or with reference images an edit (with the painted mask, if any). */
async function startJob(options: FormState): Promise<void> {
  const jobId = newJobId();
  const images = references.uris();
  if (!images.length) {
    jobs.add(jobId, options.prompt);
    return send({ type: 'generate', jobId, options });
  }
  const mask = await references.painter.export();
  if (!mask.ok) return references.showProblem(mask.message);
  jobs.add(jobId, options.prompt);
  send({ type: 'edit', jobId, options, images, ...(mask.base64 ? { mask: mask.base64 } : {}) });
}

/** The entry's own request again (from its history entry or the job that saved it): the job row shows at once, the host decides what is sent. */
function moreLikeThis(entryId: string, button: HTMLElement): void {
  const jobId = newJobId();
  jobs.add(jobId, button.closest('.history-entry, .job')?.querySelector('.entry-prompt, .job-prompt')?.textContent ?? '');
  send({ type: 'moreLikeThis', jobId, entryId });
}
let started = false;

function start(init: InitMessage): void {
  form.setGatewayModels(init.models);
  form.setPrices(init.prices);
  form.setStreamingModels(init.streamingModels ?? []);
  // The view's own state is newer than the host's copy when the view was reloaded mid-edit.
  const saved = formSchema.safeParse(viewState().form);
  if (!started) form.set(saved.success ? saved.data : init.form);
  history.apply({ ...init.history });
  jobs.replay(init.jobs);
  picker.refresh();
  if (!started) {
    app.replaceChildren(h('h1', { class: 'visually-hidden', text: S.heading }), form.el, jobs.el, history.el, compareDialog.el);
    app.setAttribute('aria-busy', 'false');
    started = true;
  } else {
    history.resync();
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseToWebview(event.data);
  if (!msg) {
    console.warn('GPT Image Studio: ignored an invalid message from the extension');
    return;
  }
  if (msg.type !== 'init' && !started) return;
  switch (msg.type) {
    case 'init':
      return start(msg);
    case 'jobProgress':
      return jobs.progress(msg.jobId, msg.message, msg.elapsed);
    case 'jobPreview':
      return jobs.preview(msg.jobId, msg.preview);
    case 'jobDone':
      jobs.done(msg.jobId, msg.files, msg.cost, msg.entry);
      return picker.refresh();
    case 'jobFailed':
      return jobs.failed(msg.jobId, msg.message);
    case 'history':
      history.apply(msg);
      return picker.refresh();
    case 'compare':
      return compareDialog.show(msg.compare);
    case 'selection':
      return form.setPrompt(msg.text);
    case 'promptHelp':
      return form.setPromptHelp(msg.available);
    case 'improvedPrompt':
      return form.improved(msg.prompt, msg.problem);
    case 'model':
      return form.chooseModel(msg.id);
    case 'models':
      return form.setGatewayModels(msg.ids);
    case 'form':
      form.set(msg.form);
      patchState({ form: msg.form });
      return document.getElementById('prompt')?.focus();
    case 'deleted':
      return markDeleted(app, [msg.file]);
    case 'missingFiles':
      return markDeleted(app, msg.files);
    case 'references':
      return references.set(msg.references, msg.problem);
  }
});

// Every per-image and per-job button is handled here, by its data-action.
app.addEventListener('click', (event) => {
  const button = (event.target as Element | null)?.closest<HTMLElement>('[data-action]');
  if (!button || !app.contains(button)) return;
  const { action, file, entry, job } = button.dataset;
  switch (action) {
    case 'insert':
    case 'open':
    case 'reveal':
    case 'copyMarkdown':
    case 'copyPath':
    case 'delete':
    case 'refine':
    case 'showInfo':
      if (file) send({ type: action, file });
      return;
    case 'compareParent':
      if (!file) return;
      compareDialog.asked(button);
      return send({ type: 'compareParent', file });
    case 'reusePrompt':
      if (entry) send({ type: 'reusePrompt', entryId: entry });
      return;
    case 'moreLikeThis':
      if (entry) moreLikeThis(entry, button);
      return;
    case 'showParent':
      if (entry) history.showEntry(entry);
      return;
    case 'cancel':
      if (job) send({ type: 'cancel', jobId: job });
      return;
    case 'reuseText': {
      const prompt = job && jobs.prompt(job);
      if (prompt !== undefined) form.setPrompt(prompt);
      return;
    }
  }
});

// The shell's copy of `init`, checked like the message: the page paints with its history before the host is asked.
const shellData = app.dataset.init;
delete app.dataset.init;
const shell = parseShellInit(shellData);
// `ready` goes first: the host accepts nothing before it.
send({ type: 'ready' });
if (shell) start(shell);
else {
  if (shellData !== undefined) console.warn('GPT Image Studio: ignored invalid start data in the page');
  app.textContent = S.loading;
}
