// Compare with original, after the Explorer/palette edit: a notification offers it once the edited image is
// open, and a panel beside the editor shows the source and the result under one slider. It is the preview
// panel's page (previewPage.ts); only files inside a workspace folder are shown, and it can load nothing else.
import * as vscode from 'vscode';
import type { EditOutcome } from '../commands/editImage';
import type { ComparePair } from './compare';
import { PreviewPage } from './previewPage';
import { dropProblem } from './references';
import { fileView } from './views';

export const COMPARE_VIEW_TYPE = 'gptImage.compare';

/** What a test can see: how many offers were made and what the panel shows. */
export interface CompareState {
  offered: number;
  open: boolean;
  before?: string;
  after?: string;
}

/** An edit's first source and first result, when both are workspace files the panel may show; else nothing to offer. */
export async function editPair(outcome: EditOutcome): Promise<ComparePair | undefined> {
  const source = outcome.sources[0];
  const result = outcome.images[0];
  if (source === undefined || !result) return undefined;
  if ((await dropProblem(source)) || (await dropProblem(result.uri))) return undefined;
  return {
    before: { uri: source, width: 0, height: 0, label: vscode.l10n.t('Original') },
    after: { uri: result.uri, width: result.width, height: result.height, label: vscode.l10n.t('Edited') },
  };
}

export class ComparePanel implements vscode.Disposable {
  private page: PreviewPage | undefined;
  readonly state: CompareState = { offered: 0, open: false };

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** Offers to compare an edit with its source; not waited for (the command has ended). */
  async offer(outcome: EditOutcome): Promise<void> {
    const pair = await editPair(outcome);
    if (!pair) return;
    this.state.offered++;
    const compare = vscode.l10n.t('Compare with original');
    const name = vscode.workspace.asRelativePath(vscode.Uri.parse(pair.after.uri, true));
    const picked = await vscode.window.showInformationMessage(vscode.l10n.t('GPT Image: saved {0}', name), compare);
    if (picked === compare) await this.show(pair);
  }

  /** Shows the pair, each file checked again: it may have moved since the offer. */
  async show(pair: ComparePair): Promise<void> {
    const problem = (await dropProblem(pair.before.uri)) ?? (await dropProblem(pair.after.uri));
    if (problem) {
      void vscode.window.showWarningMessage(vscode.l10n.t('GPT Image: {0}', problem));
      return;
    }
    const page = this.open();
    const before = fileView(page.webview, pair.before, false);
    const after = fileView(page.webview, pair.after, false);
    if (!before || !after) return;
    const name = (uri: string) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri, true));
    Object.assign(this.state, { open: true, before: before.uri, after: after.uri });
    page.post({
      type: 'compare',
      compare: { before: { file: before, label: pair.before.label }, after: { file: after, label: pair.after.label } },
      caption: vscode.l10n.t('{0} and {1}: drag the divider, or use the arrow keys on the slider.', name(before.uri), name(after.uri)),
      sliderLabel: vscode.l10n.t('Divider between {0} and {1}', pair.before.label, pair.after.label),
    });
  }

  private open(): PreviewPage {
    if (this.page) {
      this.page.panel.reveal(vscode.ViewColumn.Beside);
      return this.page;
    }
    this.page = new PreviewPage(this.extensionUri, COMPARE_VIEW_TYPE, vscode.l10n.t('GPT Image Compare'), false, () => {
      this.page = undefined;
      Object.assign(this.state, { open: false, before: undefined, after: undefined });
    });
    return this.page;
  }

  dispose(): void {
    this.page?.panel.dispose();
  }
}
