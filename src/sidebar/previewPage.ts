// The page behind the preview and compare panels beside the editor: dist/preview.js under the studio's CSP
// (src/sidebar/html.ts), loading only from dist/ and the workspace folders. Messages wait for the page's
// `ready`, and only the newest waits: each one replaces what the page shows.
import * as vscode from 'vscode';
import { fromPreviewSchema, type ToPreview } from '../protocol';
import { previewHtml } from './html';

/**
 * How long a new panel may take to say `ready` before it is opened once more. In the browser workbench a
 * webview created while another one loads can wait forever for its service worker and stay blank; a panel
 * created again a moment later loads.
 */
export const PAGE_START_MS = 10_000;

export class PreviewPage {
  private current!: vscode.WebviewPanel;
  private ready = false;
  private pending: ToPreview | undefined;
  private restarted = false;
  /** The panel being given up for a new one: its closing is not the owner's. */
  private retiring: vscode.WebviewPanel | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  /** Times the page was opened again because it never started (for tests). */
  restarts = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly viewType: string,
    private readonly title: string,
    private readonly preserveFocus: boolean,
    private readonly onDispose: () => void,
    startMs = PAGE_START_MS,
  ) {
    this.create(startMs);
  }

  get panel(): vscode.WebviewPanel {
    return this.current;
  }

  /** Whether the page has said `ready` (for tests). */
  get started(): boolean {
    return this.ready;
  }

  get webview(): vscode.Webview {
    return this.current.webview;
  }

  post(message: ToPreview): void {
    if (this.ready) void this.current.webview.postMessage(message);
    else this.pending = message;
  }

  private create(startMs: number, viewColumn = vscode.ViewColumn.Beside): void {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      this.viewType,
      this.title,
      { viewColumn, preserveFocus: this.preserveFocus },
      // Saved images are shown from the workspace; nothing else is reachable, whatever a message names.
      { enableScripts: true, localResourceRoots: [dist, ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri)] },
    );
    this.current = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'sidebar.svg');
    const webview = panel.webview;
    webview.html = previewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'preview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'preview.css')).toString(),
      lang: vscode.env.language,
    });
    webview.onDidReceiveMessage((raw: unknown) => {
      if (panel !== this.current || !fromPreviewSchema.safeParse(raw).success) return;
      clearTimeout(this.watchdog);
      this.ready = true;
      if (this.pending) void webview.postMessage(this.pending);
      this.pending = undefined;
    });
    panel.onDidDispose(() => {
      if (panel !== this.current || panel === this.retiring) return;
      clearTimeout(this.watchdog);
      this.onDispose();
    });
    this.watchdog = setTimeout(() => this.restart(startMs), startMs);
  }

  /** Once per page: a second blank start is not the race above, and opening panels in a loop would not help. */
  private restart(startMs: number): void {
    if (this.ready || this.restarted) return;
    this.restarted = true;
    this.restarts++;
    // Closed before the new one opens: a webview created while another still loads is what can hang.
    const stale = this.current;
    const column = stale.viewColumn;
    this.retiring = stale;
    stale.dispose();
    // Its dispose event has fired by now or comes after `current` has moved on; either way it is not the owner's.
    this.retiring = undefined;
    this.create(startMs, column);
  }
}
