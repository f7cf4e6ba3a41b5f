// The preview beside the editor for the commands (palette, editor menu, Explorer edit): it opens at a
// run's first streamed partial image, shows each as it arrives and then the saved result. One panel,
// reused across runs and closable; a run that streams nothing never opens it. Its page (previewPage.ts)
// has the studio's CSP and message rules: a nonce'd script, no inline code, every message checked.
import * as vscode from 'vscode';
import type { PartialImage } from '../core/client';
import type { GenerateOutcome, RunOptions } from '../flow/generation';
import type { ToPreview } from '../protocol';
import { PreviewPage } from './previewPage';
import { PreviewCounter } from './views';

export const PREVIEW_VIEW_TYPE = 'gptImage.preview';

/** What a test (or the log) can see of the panel: what it was last told to show. */
export interface PreviewState {
  open: boolean;
  previews: number;
  last?: ToPreview['type'];
}

export class PreviewPanel implements vscode.Disposable {
  private page: PreviewPage | undefined;
  /** The run whose images the panel shows; an older run's late messages are dropped. */
  private owner: object | undefined;
  /** A run whose panel the user closed: it stays closed for the rest of that run. */
  private dismissed: object | undefined;
  readonly state: PreviewState = { open: false, previews: 0 };

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** Hooks for one run, and what to call with its outcome. */
  follow(): { hooks: Pick<RunOptions, 'onPreview'>; finish: (outcome: GenerateOutcome | undefined) => void } {
    const run = {};
    let counter: PreviewCounter | undefined;
    return {
      hooks: {
        onPreview: (image: PartialImage) => {
          if (this.dismissed === run) return;
          counter ??= new PreviewCounter();
          this.owner = run;
          const preview = counter.next(image);
          const label =
            preview.total > 0
              ? vscode.l10n.t('Preview {0} of {1}', preview.index + 1, preview.total)
              : vscode.l10n.t('Preview {0}', preview.index + 1);
          this.show({ type: 'preview', preview, caption: vscode.l10n.t('{0}: still drawing…', label) });
        },
      },
      finish: (outcome) => {
        // A run that never previewed leaves the panel (and another run's images) alone.
        if (!counter || this.owner !== run || !this.page) return;
        if (!outcome) return this.show({ type: 'ended', caption: vscode.l10n.t('No image was saved; the notification says why.') });
        const webview = this.page.webview;
        const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString().replace(/\/?$/, '/'));
        // Only files the panel may load are shown (an edit of a file outside the workspace is named, not shown).
        const shown = outcome.images.filter((img) => roots.some((root) => img.uri.startsWith(root)));
        const files = shown.map((img) => {
          const uri = vscode.Uri.parse(img.uri, true);
          return {
            uri: img.uri,
            src: webview.asWebviewUri(uri).toString(),
            name: vscode.workspace.asRelativePath(uri),
            width: img.width,
            height: img.height,
            missing: false,
          };
        });
        const names = outcome.images.map((img) => vscode.workspace.asRelativePath(vscode.Uri.parse(img.uri, true)));
        this.show({ type: 'final', files, caption: vscode.l10n.t('Saved: {0}', names.join(', ')) });
      },
    };
  }

  private show(message: ToPreview): void {
    const page = this.open();
    this.state.open = true;
    this.state.last = message.type;
    if (message.type === 'preview') this.state.previews++;
    page.post(message);
  }

  private open(): PreviewPage {
    if (this.page) {
      if (!this.page.panel.visible) this.page.panel.reveal(vscode.ViewColumn.Beside, true);
      return this.page;
    }
    this.page = new PreviewPage(this.extensionUri, PREVIEW_VIEW_TYPE, vscode.l10n.t('GPT Image Preview'), true, () => {
      this.dismissed = this.owner;
      this.page = undefined;
      this.state.open = false;
    });
    return this.page;
  }

  dispose(): void {
    this.page?.panel.dispose();
  }
}
