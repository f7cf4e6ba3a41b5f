// The entry point for Node extension hosts (desktop, remote): Node's network. The browser's is extension.web.ts.
import type * as vscode from 'vscode';
import { activateWith, type TestApi } from './activate';
import { nodeNetwork } from './core/transport.node';

export type { TestApi } from './activate';

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  return activateWith(context, { network: nodeNetwork() });
}

export function deactivate(): void {
  /* everything is in context.subscriptions */
}
