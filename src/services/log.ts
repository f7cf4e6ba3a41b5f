import * as vscode from 'vscode';
import { redact } from '../core/redact';

/**
 * The "GPT Image" log. Every line passes through redaction of the secrets we know about
 * (the keys in use), so a key echoed by a server never reaches the output channel.
 */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('GPT Image', { log: true });
  private readonly secrets = new Set<string>();
  /** The last lines written, newest last: for tests and bug reports (the channel itself cannot be read back). */
  readonly recent: string[] = [];

  /** Remember a secret so every later line has it redacted. */
  protect(secret: string | undefined): void {
    if (secret) this.secrets.add(secret);
  }

  info(message: string): void {
    this.channel.info(this.keep(message));
  }
  warn(message: string): void {
    this.channel.warn(this.keep(message));
  }
  error(message: string): void {
    this.channel.error(this.keep(message));
  }
  private keep(message: string): string {
    const line = this.clean(message);
    this.recent.push(line);
    if (this.recent.length > 500) this.recent.shift();
    return line;
  }
  show(): void {
    this.channel.show(true);
  }
  clean(text: string): string {
    return redact(text, [...this.secrets]);
  }
  dispose(): void {
    this.channel.dispose();
  }
}
