import * as vscode from 'vscode';
import type { ModelInfo } from '../core/catalog';

const STATE_LAST_PROMPT = 'gptImage.lastPrompt';

/** Asks for a prompt, pre-filled with the last one, validating as the user types. */
export async function askPrompt(state: vscode.Memento, model: ModelInfo, title?: string): Promise<string | undefined> {
  const prompt = await vscode.window.showInputBox({
    title: title ?? vscode.l10n.t('GPT Image: describe the image'),
    prompt: vscode.l10n.t('Model {0}, up to {1} characters', model.id, model.promptLimit),
    value: state.get<string>(STATE_LAST_PROMPT, ''),
    ignoreFocusOut: true,
    validateInput: (v) => promptProblem(v, model),
  });
  if (prompt !== undefined) await state.update(STATE_LAST_PROMPT, prompt);
  return prompt;
}

export function promptProblem(value: string, model: ModelInfo): string | undefined {
  if (!value.trim()) return vscode.l10n.t('Describe the image you want.');
  if (value.length > model.promptLimit)
    return vscode.l10n.t('{0} characters; {1} allows at most {2}.', value.length, model.id, model.promptLimit);
  return undefined;
}

/** The prompt the next prompt box starts from (Refine this, Use prompt: the image's own prompt, to change). */
export async function rememberPrompt(state: vscode.Memento, prompt: string): Promise<void> {
  await state.update(STATE_LAST_PROMPT, prompt);
}
