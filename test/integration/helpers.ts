import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { ToWebview } from '../../src/protocol';
import { StudioViewProvider } from '../../src/sidebar/studioView';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../tools/sandbox/server';

export const EXTENSION_ID = 'gpt-image-studio.gpt-image-studio';

export async function extensionApi(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  if (!api) throw new Error('the extension exposes its test API only in test mode');
  return api;
}

export function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('gptImage');
}

/** A sandbox gateway with the extension pointed at it and its key stored, as a user would have set up. */
export async function connectedSandbox(api: TestApi, settings: Record<string, unknown> = {}, opts: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox(opts);
  await config().update('baseUrl', sandbox.baseUrl, vscode.ConfigurationTarget.Global);
  for (const [k, v] of Object.entries({ askForSize: false, size: '1024x768', n: 1, ...settings })) {
    await config().update(k, v, vscode.ConfigurationTarget.Global);
  }
  await api.services.keys.store(new URL(sandbox.baseUrl).origin, sandbox.key);
  return sandbox;
}

export async function resetSettings(keys: string[]): Promise<void> {
  for (const k of keys) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration tests need the sample workspace open');
  return folder.uri;
}

export async function listImages(folder = 'images'): Promise<string[]> {
  try {
    const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(workspaceRoot(), folder));
    return entries.map(([name]) => name).sort();
  } catch {
    return [];
  }
}

export async function clearImages(folder = 'images'): Promise<void> {
  await vscode.workspace.fs
    .delete(vscode.Uri.joinPath(workspaceRoot(), folder), { recursive: true, useTrash: false })
    .then(undefined, () => undefined);
}

/** Opens a new Markdown file in the workspace with the given text and selects the given line. */
export async function markdownEditor(name: string, text: string, selectLine?: number): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  if (selectLine !== undefined) {
    const line = doc.lineAt(selectLine);
    editor.selection = new vscode.Selection(line.range.start, line.range.end);
  }
  return editor;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs Edit Image with Prompt as the Explorer menu does (no uris: as a keybinding does), answering its
 * prompt box (pre-filled with `prompt`, through the last prompt it remembers) and its size pick with Enter.
 */
export async function runEditCommand(api: TestApi, prompt: string, ...uris: vscode.Uri[]): Promise<{ files: string[] } | undefined> {
  await api.services.state.update('gptImage.lastPrompt', prompt);
  return acceptingEverything('gptImage.editImage', ...(uris.length ? [uris[0], uris] : []));
}

/** Runs a command that asks questions, accepting what each prompt box and quick pick offers first. */
export async function acceptingEverything(command: string, ...args: unknown[]): Promise<{ files: string[] } | undefined> {
  let settled = false;
  const running = Promise.resolve(vscode.commands.executeCommand<{ files: string[] } | undefined>(command, ...args));
  void running.finally(() => (settled = true));
  for (let i = 0; i < 100 && !settled; i++) {
    await sleep(200);
    if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return running;
}

/** The studio as the page sees it: a stand-in view that keeps every message the host posts. */
export async function studioPage(api: TestApi): Promise<{ posted: ToWebview[]; send(m: unknown): void; dispose(): void }> {
  const posted: ToWebview[] = [];
  let receive: (m: unknown) => void = () => undefined;
  const webview = {
    options: {},
    html: '',
    cspSource: 'vscode-webview://test',
    asWebviewUri: (u: vscode.Uri) => u,
    onDidReceiveMessage: (f: (m: unknown) => void) => ((receive = f), { dispose() {} }),
    postMessage: async (m: ToWebview) => (posted.push(m), true),
  };
  const view = { webview, onDidDispose: () => ({ dispose() {} }) } as unknown as vscode.WebviewView;
  const provider = new StudioViewProvider(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, api.services, false);
  await provider.resolveWebviewView(view);
  return { posted, send: (m) => receive(m), dispose: () => provider.dispose() };
}
