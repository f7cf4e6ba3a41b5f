// The user's own chat model (vscode.lm): the one place that talks to it. It is used only when VS Code has one
// (another extension provides it; VS Code asks the user for consent where that extension wants it) and only
// through VS Code, so no other host is ever contacted. Its answer is returned raw: the caller cleans it.
import * as vscode from 'vscode';
import { oneLine } from '../core/links';
import { cutAtWord, MAX_ANSWER_READ } from '../core/promptHelp';
import type { Log } from './log';

export type ChatAnswer =
  | { ok: true; text: string; model: string }
  /** `message` names the cause and the fix; a cancel has none to show. */
  | { ok: false; cancelled: true }
  | { ok: false; cancelled: false; message: string };

export class ChatModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<boolean>();
  /** Fires with the new availability when chat models come or go. */
  readonly onDidChangeAvailability = this.changed.event;
  private last: boolean | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly log: Log) {
    this.subscription = vscode.lm.onDidChangeChatModels(() => void this.available());
  }

  /** Whether VS Code has a chat model for us now (asking may start the extension that provides one). */
  async available(): Promise<boolean> {
    const now = (await this.models()).length > 0;
    if (now !== this.last) {
      this.last = now;
      this.changed.fire(now);
    }
    return now;
  }

  private async models(): Promise<vscode.LanguageModelChat[]> {
    try {
      return await vscode.lm.selectChatModels();
    } catch (err) {
      this.log.warn(`chat models could not be listed: ${String(err)}`);
      return [];
    }
  }

  /**
   * Sends the messages (as user messages: system messages are not in the stable API) to the first chat model and
   * reads its text answer, at most MAX_ANSWER_READ characters of it.
   */
  async ask(messages: readonly string[], justification: string, token: vscode.CancellationToken): Promise<ChatAnswer> {
    const [model] = await this.models();
    if (!model) {
      return {
        ok: false,
        cancelled: false,
        message: vscode.l10n.t(
          'GPT Image: no chat model is available. Install or sign in to a chat extension (such as GitHub Copilot Chat), then try again.',
        ),
      };
    }
    const name = oneLine(model.name || model.id);
    // Our own source: a long answer is cut off here without cancelling the caller.
    const source = new vscode.CancellationTokenSource();
    const link = token.onCancellationRequested(() => source.cancel());
    try {
      const response = await model.sendRequest(
        messages.map((m) => vscode.LanguageModelChatMessage.User(m)),
        { justification },
        source.token,
      );
      let text = '';
      for await (const part of response.text) {
        text += part;
        if (text.length >= MAX_ANSWER_READ) {
          source.cancel();
          break;
        }
      }
      if (token.isCancellationRequested) return { ok: false, cancelled: true };
      return { ok: true, text: text.slice(0, MAX_ANSWER_READ), model: name };
    } catch (err) {
      if (token.isCancellationRequested || err instanceof vscode.CancellationError) return { ok: false, cancelled: true };
      const message = failureMessage(err, name);
      this.log.warn(this.log.clean(`chat model ${name}: ${errorCode(err)}: ${detail(err)}`));
      return { ok: false, cancelled: false, message: this.log.clean(message) };
    } finally {
      link.dispose();
      source.dispose();
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function errorCode(err: unknown): string {
  return err instanceof vscode.LanguageModelError ? err.code : err instanceof Error ? err.name : 'error';
}

/** The provider's own words are another extension's text: one line, short. */
function detail(err: unknown): string {
  return cutAtWord(oneLine(err instanceof Error ? err.message : String(err)), 200);
}

function failureMessage(err: unknown, model: string): string {
  const code = err instanceof vscode.LanguageModelError ? err.code : undefined;
  if (code === vscode.LanguageModelError.NoPermissions.name) {
    return vscode.l10n.t(
      'GPT Image: this extension may not use the chat model {0} (no permission). Allow it when VS Code asks, or under Accounts > Manage Language Model Access, then try again.',
      model,
    );
  }
  if (code === vscode.LanguageModelError.Blocked.name) {
    return vscode.l10n.t('GPT Image: the chat model {0} refused the request (blocked, e.g. a quota). Wait a while and try again.', model);
  }
  if (code === vscode.LanguageModelError.NotFound.name) {
    return vscode.l10n.t(
      'GPT Image: the chat model {0} is no longer available. Check your chat extension (signed in, enabled), then try again.',
      model,
    );
  }
  return vscode.l10n.t('GPT Image: the chat model {0} failed ({1}). Try again, or check your chat extension.', model, detail(err));
}
