// The entry point for the web extension host (vscode.dev, github.dev, any web workbench), bundled as
// dist/web/extension.js: the browser's fetch, no DNS, files only through workspace.fs.
import type * as vscode from 'vscode';
import { activateWith, type TestApi } from './activate';
import { fetchNetwork } from './core/transport.fetch';

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  return activateWith(context, { network: fetchNetwork() });
}

export function deactivate(): void {
  /* everything is in context.subscriptions */
}
