// The core's messages in VS Code's display language, as every user-facing surface shows them.
import * as vscode from 'vscode';
import { wordWith, type Message } from '../core/messages';
import { wording } from './messages';

const words = wording(vscode.l10n);

export function userText(m: Message): string {
  return wordWith(words, m);
}
