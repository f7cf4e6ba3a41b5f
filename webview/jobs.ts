// Generations in progress and their results, newest first; each can be cancelled on its own.
import type { EntryCost, FileView, JobView, PreviewView } from '../src/protocol';
import { costText } from './cost';
import { h, icon, iconButton } from './dom';
import { imageCard } from './imageCard';
import { S } from './strings';

interface JobRow {
  el: HTMLElement;
  status: HTMLElement;
  elapsed: HTMLElement;
  started: number;
  running: boolean;
  prompt: string;
  /** The blob: URL of the preview shown, revoked when the next replaces it or the job ends. */
  preview?: string;
}

const MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

export class JobList {
  readonly el = h('section', { id: 'jobs', class: 'jobs', attrs: { 'aria-label': S.jobs } });
  private readonly list = h('ol', { class: 'job-list', attrs: { 'aria-live': 'polite', 'aria-relevant': 'additions' } });
  private readonly rows = new Map<string, JobRow>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    this.el.append(this.list);
    this.el.hidden = true;
  }

  /** A job the view just asked for, shown before the host answers. */
  add(jobId: string, prompt: string, started = Date.now()): void {
    if (this.rows.has(jobId)) return;
    const status = h('span', { class: 'job-status', text: S.running });
    const elapsed = h('span', { class: 'job-elapsed', text: S.elapsed(0) });
    const cancel = iconButton('close', S.cancel, { action: 'cancel', job: jobId });
    const reuse = iconButton('history', S.reusePrompt, { action: 'reuseText', job: jobId });
    const el = h('li', { class: 'job running', data: { jobId } }, [
      h('div', { class: 'job-head' }, [icon('loading'), h('p', { class: 'job-prompt', text: prompt, title: prompt }), reuse, cancel]),
      h('div', { class: 'job-progress' }, [status, elapsed]),
      h('div', { class: 'results' }),
    ]);
    el.querySelector('.codicon-loading')?.classList.add('codicon-modifier-spin');
    this.rows.set(jobId, { el, status, elapsed, started, running: true, prompt });
    this.list.prepend(el);
    this.el.hidden = false;
    this.tick();
    this.timer ??= setInterval(() => this.tick(), 1000);
  }

  prompt(jobId: string): string | undefined {
    return this.rows.get(jobId)?.prompt;
  }

  progress(jobId: string, message: string, elapsedMs: number): void {
    const row = this.rows.get(jobId);
    if (!row || !row.running) return;
    row.status.textContent = message;
    // The host's clock wins over the view's, which may have started late (after a reload).
    row.started = Date.now() - elapsedMs;
    this.tick();
  }

  /** A partial image of a running job: it replaces the last one until the final images arrive. */
  preview(jobId: string, preview: PreviewView): void {
    const row = this.rows.get(jobId);
    if (!row || !row.running) return;
    const url = URL.createObjectURL(new Blob([preview.bytes as Uint8Array<ArrayBuffer>], { type: MIME[preview.format] }));
    const label = S.preview(preview.index, preview.total);
    const results = row.el.querySelector('.results')!;
    let img = results.querySelector<HTMLImageElement>('img.preview-image');
    if (!img) {
      img = h('img', { class: 'preview-image', attrs: { decoding: 'async' } }) as HTMLImageElement;
      results.replaceChildren(h('figure', { class: 'image-card preview' }, [img, h('figcaption', { class: 'preview-label' })]));
    }
    img.src = url;
    img.alt = `${label}: ${row.prompt}`;
    img.style.aspectRatio = `${preview.width} / ${preview.height}`;
    results.querySelector('.preview-label')!.textContent = label;
    this.dropPreview(row);
    row.preview = url;
  }

  private dropPreview(row: JobRow): void {
    if (row.preview) URL.revokeObjectURL(row.preview);
    row.preview = undefined;
  }

  /** `entry` is the history entry the job saved: its card acts on it, as the history's does. */
  done(jobId: string, files: readonly FileView[], cost?: EntryCost, entry?: JobView['entry']): void {
    const row = this.end(jobId, 'done', costText(cost));
    if (!row) return;
    row.el.querySelector('.results')!.replaceChildren(...files.map((f) => imageCard(f, row.prompt, 'result', entry?.parent)));
    if (entry)
      row.el.querySelector('.job-prompt')!.after(iconButton('refresh', S.moreLikeThis, { action: 'moreLikeThis', entry: entry.id }));
  }

  failed(jobId: string, message: string): void {
    this.end(jobId, 'failed', message);
  }

  /** Replays the host's jobs after the view was hidden or reloaded. */
  replay(jobs: readonly JobView[]): void {
    // A job the host no longer knows (its extension host restarted) will never answer.
    const known = new Set(jobs.map((j) => j.jobId));
    for (const [jobId, row] of this.rows) if (row.running && !known.has(jobId)) this.failed(jobId, S.interrupted);
    for (const j of [...jobs].sort((a, b) => a.started - b.started)) {
      this.add(j.jobId, j.prompt, j.started);
      if (j.state === 'running') this.progress(j.jobId, j.message, Date.now() - j.started);
      else if (j.state === 'done') this.done(j.jobId, j.files, j.cost, j.entry);
      else this.failed(j.jobId, j.message);
      // How long an ended job took is not known here, and time since it started would mislead.
      if (j.state !== 'running') this.rows.get(j.jobId)!.elapsed.textContent = '';
    }
  }

  private end(jobId: string, state: 'done' | 'failed', message: string): JobRow | undefined {
    const row = this.rows.get(jobId);
    if (!row) return undefined;
    row.running = false;
    // A preview is never kept: the final images replace it, a failure clears it.
    this.dropPreview(row);
    row.el.querySelector('.results')!.replaceChildren();
    row.el.classList.remove('running');
    row.el.classList.add(state);
    row.el.querySelector('[data-action="cancel"]')?.remove();
    row.el.querySelector('.codicon-loading')?.replaceWith(icon(state === 'done' ? 'check' : 'error'));
    row.status.textContent = message;
    if (state === 'failed') row.elapsed.textContent = '';
    this.tick();
    return row;
  }

  private tick(): void {
    let running = 0;
    for (const row of this.rows.values()) {
      if (!row.running) continue;
      running++;
      row.elapsed.textContent = S.elapsed(Math.max(0, Math.floor((Date.now() - row.started) / 1000)));
    }
    if (running === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
