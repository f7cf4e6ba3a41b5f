import * as vscode from 'vscode';
import type { ProgressEvent } from '../core/client';

/**
 * Turns client progress into the notification's message, with elapsed seconds while waiting.
 * `echo` hears each stage once, without the seconds: a caller with a view shows its own clock.
 */
export class StageReporter {
  private readonly started = Date.now();
  private label = vscode.l10n.t('Sending request…');
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly progress: vscode.Progress<{ message?: string }>,
    private readonly echo?: (message: string) => void,
  ) {
    this.render();
    this.echo?.(this.label);
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
      case 'preview':
        this.label = e.total
          ? vscode.l10n.t('Preview {0} of {1} arrived; still drawing…', (e.index ?? 0) + 1, e.total)
          : vscode.l10n.t('Preview {0} arrived; still drawing…', (e.index ?? 0) + 1);
        break;
      case 'downloading':
        this.label = vscode.l10n.t('Downloading image {0} of {1}…', e.index ?? 1, e.total ?? 1);
        break;
      case 'decoding':
        this.label = vscode.l10n.t('Checking images…');
        break;
    }
    this.render();
    this.echo?.(this.label);
  }

  private render(): void {
    this.progress.report({ message: `${this.label} ${Math.floor((Date.now() - this.started) / 1000)} s` });
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
