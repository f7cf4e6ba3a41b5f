import * as vscode from 'vscode';
import { Commands } from '../config/commandIds';

/** A status bar item shown while any generation runs, with how many. */
export class RunningStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gptImage.running', vscode.StatusBarAlignment.Left, 0);
  private count = 0;

  constructor() {
    this.item.name = vscode.l10n.t('GPT Image generation');
    this.item.command = Commands.showLog;
  }

  /** Marks one generation as running until the returned function is called. */
  begin(): () => void {
    this.count++;
    this.render();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.count--;
      this.render();
    };
  }

  private render(): void {
    if (this.count === 0) return this.item.hide();
    this.item.text =
      this.count === 1
        ? vscode.l10n.t('$(loading~spin) Generating image…')
        : vscode.l10n.t('$(loading~spin) Generating {0} images…', this.count);
    this.item.tooltip = vscode.l10n.t('GPT Image: generation running. Click for the log.');
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
