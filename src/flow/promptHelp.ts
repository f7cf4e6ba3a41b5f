// Help with the prompt through the user's own chat model: Improve prompt (the command's size pick and the
// studio) and described alt text. The rewrite is always shown to the user before anything is generated.
import * as vscode from 'vscode';
import type { ModelInfo } from '../core/catalog';
import { altText } from '../core/links';
import {
  altTextInstructions,
  altTextRequest,
  contextKind,
  documentContext,
  improveInstructions,
  improveRequest,
  modelAltText,
  modelAnswer,
} from '../core/promptHelp';
import type { Settings } from '../config/settings';
import type { Services } from '../services/services';
import { promptProblem } from './prompt';

/** A described alt text that takes longer than this is given up for the prompt's. */
const ALT_TEXT_TIMEOUT_MS = 30_000;

export interface ImproveInput {
  prompt: string;
  model: ModelInfo;
  /** Where the image goes: its paragraph and heading are sent as context. */
  document?: vscode.TextDocument;
  selection?: vscode.Selection;
}

/**
 * Asks the chat model to rewrite the prompt, under a cancellable notification. Returns the cleaned rewrite, or
 * undefined after a cancel or a failure (then `tell` has the message naming cause and fix).
 */
export async function improvePrompt(services: Services, input: ImproveInput, tell: (message: string) => void): Promise<string | undefined> {
  const { prompt, model, document, selection } = input;
  const context =
    document && selection
      ? documentContext(
          document.getText(),
          document.offsetAt(selection.start),
          document.offsetAt(selection.end),
          contextKind(document.languageId),
        )
      : undefined;
  services.log.info(
    document
      ? `improve prompt: context from ${document.uri.scheme}:${document.uri.path.split('/').pop()} (${document.languageId}): ` +
          `${context?.heading ? 'a heading' : 'no heading'}, ${context?.paragraph ? 'a paragraph' : 'no paragraph'}`
      : 'improve prompt: no editor, no document context',
  );
  const answer = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('GPT Image: improving the prompt…'), cancellable: true },
    (_progress, token) =>
      services.chat.ask(
        [improveInstructions(model.promptLimit), improveRequest(prompt, context)],
        vscode.l10n.t('GPT Image Studio rewrites your image prompt for the image model.'),
        token,
      ),
  );
  if (!answer.ok) {
    if (!answer.cancelled) tell(answer.message);
    return undefined;
  }
  const rewrite = modelAnswer(answer.text, model.promptLimit);
  services.log.info(`improve prompt: ${answer.model} answered ${answer.text.length} characters, ${rewrite?.length ?? 0} kept`);
  if (!rewrite)
    tell(vscode.l10n.t('GPT Image: the chat model {0} gave no usable prompt. Your prompt is unchanged; try again.', answer.model));
  return rewrite;
}

/** The rewrite in an input box to accept (Enter) or edit; Escape keeps the user's own prompt. */
export function reviewRewrite(rewrite: string, model: ModelInfo): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('GPT Image: the improved prompt'),
    prompt: vscode.l10n.t('Edit it if you like, Enter to use it; Escape keeps your prompt.'),
    value: rewrite,
    ignoreFocusOut: true,
    validateInput: (v) => promptProblem(v, model),
  });
}

/**
 * The alt text of an inserted image: the prompt's (altText), or with `gptImage.altText` "describe" the chat
 * model's short description from the prompt and the revised prompt. Any failure falls back to the prompt's, logged.
 */
export async function altTextFor(
  services: Services,
  setting: Settings['altText'],
  prompt: string,
  revisedPrompt: string | undefined,
  signal: AbortSignal,
): Promise<string> {
  const fallback = altText(prompt);
  if (setting !== 'describe') return fallback;
  const source = new vscode.CancellationTokenSource();
  const cancel = () => source.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  const timer = setTimeout(cancel, ALT_TEXT_TIMEOUT_MS);
  try {
    if (!(await services.chat.available())) {
      services.log.info('alt text: no chat model is available; the prompt is used');
      return fallback;
    }
    const answer = await services.chat.ask(
      [altTextInstructions(), altTextRequest(prompt, revisedPrompt)],
      vscode.l10n.t('GPT Image Studio writes alt text for the image it inserts.'),
      source.token,
    );
    if (!answer.ok) {
      services.log.warn(`alt text: ${answer.cancelled ? 'cancelled or timed out' : answer.message}; the prompt is used`);
      return fallback;
    }
    const described = modelAltText(answer.text);
    if (!described) services.log.warn(`alt text: ${answer.model} gave no usable answer; the prompt is used`);
    return described ?? fallback;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', cancel);
    source.dispose();
  }
}
