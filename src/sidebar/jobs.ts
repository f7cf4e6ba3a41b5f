// Generations started from the studio: one AbortController each, kept after they end so a
// reloaded view can replay them (the window reloaded, or VS Code dropped the kept page).

export type JobState = 'running' | 'done' | 'failed';

export interface Job {
  readonly jobId: string;
  readonly prompt: string;
  readonly started: number;
  state: JobState;
  message: string;
  files: string[];
  readonly controller: AbortController;
}

export interface JobEvents {
  progress(job: Job): void;
  done(job: Job): void;
  failed(job: Job): void;
}

export type JobRunner = (
  signal: AbortSignal,
  onProgress: (message: string) => void,
  onError: (message: string) => void,
) => Promise<string[] | undefined>;

/** How many ended jobs a view replays. */
const KEEP_ENDED = 20;

export class StudioJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly events: JobEvents,
    private readonly messages: { cancelled: string; failed: string; starting: string },
  ) {}

  has(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  list(): Job[] {
    return [...this.jobs.values()];
  }

  async start(jobId: string, prompt: string, run: JobRunner): Promise<void> {
    const job: Job = {
      jobId,
      prompt,
      started: Date.now(),
      state: 'running',
      message: this.messages.starting,
      files: [],
      controller: new AbortController(),
    };
    this.jobs.set(jobId, job);
    this.trim();
    let files: string[] | undefined;
    let error: string | undefined;
    try {
      files = await run(
        job.controller.signal,
        (message) => {
          if (job.state !== 'running') return;
          job.message = message;
          this.events.progress(job);
        },
        (message) => (error = message),
      );
    } catch (err) {
      files = undefined;
      error = String(err);
    }
    if (files) {
      job.state = 'done';
      job.files = files;
      job.message = '';
      this.events.done(job);
    } else {
      job.state = 'failed';
      job.message = job.controller.signal.aborted ? this.messages.cancelled : (error ?? this.messages.failed);
      this.events.failed(job);
    }
  }

  cancel(jobId: string): void {
    this.jobs.get(jobId)?.controller.abort();
  }

  /** Drops the oldest ended jobs beyond the replay limit; running ones always stay. */
  private trim(): void {
    const ended = this.list().filter((j) => j.state !== 'running');
    for (const j of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) this.jobs.delete(j.jobId);
  }

  dispose(): void {
    for (const j of this.jobs.values()) j.controller.abort();
  }
}
