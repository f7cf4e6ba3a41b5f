// The page behind the preview and compare panels beside the editor: dist/preview.js under the studio's CSP
// (src/sidebar/html.ts), loading only from dist/ and the workspace folders. Messages wait for the page's
// `ready`, and only the newest waits: each one replaces what the page shows.
import * as vscode from 'vscode';
import { fromPreviewSchema, type ToPreview } from '../protocol';
import { previewHtml } from './html';

export class PreviewPage {
  readonly panel: vscode.WebviewPanel;
  private ready = false;
  private pending: ToPreview | undefined;

  constructor(extensionUri: vscode.Uri, viewType: string, title: string, preserveFocus: boolean, onDispose: () => void) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel(
      viewType,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      // Saved images are shown from the workspace; nothing else is reachable, whatever a message names.
      { enableScripts: true, localResourceRoots: [dist, ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri)] },
    );
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'sidebar.svg');
    const webview = this.panel.webview;
    webview.html = previewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'preview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'preview.css')).toString(),
      lang: vscode.env.language,
    });
    webview.onDidReceiveMessage((raw: unknown) => {
      if (!fromPreviewSchema.safeParse(raw).success) return;
      this.ready = true;
      if (this.pending) void webview.postMessage(this.pending);
      this.pending = undefined;
    });
    this.panel.onDidDispose(onDispose);
  }

  get webview(): vscode.Webview {
    return this.panel.webview;
  }

  post(message: ToPreview): void {
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.pending = message;
  }
}
