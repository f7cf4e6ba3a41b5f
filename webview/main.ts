// The studio webview: builds the UI from the `init` in the HTML shell (or, failing that, the host's answer to
// `ready`), and checks every message it gets.
// `./boot` comes first: it turns off zod's eval before any schema is built (the CSP forbids it) and makes the
// display language's text active before any module reads it.
import './boot';
import { newerForm, parseShellInit, parseToWebview, type FormState, type InitMessage } from '../src/protocol';
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
/** The form's revision: one up for each change made here; a form the host sends brings its own. */
let revision = 0;

/** A change made here: kept in the view state at once, and sent to the host once typing pauses. */
function saveForm(form: FormState): void {
  revision += 1;
  const saved = revision;
  patchState({ form, formRevision: saved });
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => send({ type: 'saveForm', form, revision: saved }), 400);
}

/** A form the host replaced (Use prompt again, Refine this): a change still waiting to be sent is dropped. */
function hostForm(next: FormState, nextRevision: number): void {
  clearTimeout(saveTimer);
  revision = nextRevision;
  form.set(next);
  patchState({ form: next, formRevision: nextRevision });
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
  if (!started) {
    const state = viewState();
    const chosen = newerForm({ form: state.form, revision: state.formRevision }, { form: init.form, revision: init.formRevision });
    hostForm(chosen.form, chosen.revision);
    // A change the page kept but the host never heard of (the page went before it was sent): the host catches up.
    if (chosen.revision > init.formRevision) send({ type: 'saveForm', form: chosen.form, revision: chosen.revision });
  }
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
      // The host saved the new model as one revision; the form's own save of it (if it changed) goes above.
      revision = Math.max(revision, msg.revision);
      return form.chooseModel(msg.id);
    case 'models':
      return form.setGatewayModels(msg.ids);
    case 'form':
      hostForm(msg.form, msg.revision);
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
