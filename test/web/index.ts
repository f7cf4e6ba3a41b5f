// The web pass's entry point: the browser's extension host (a web worker) loads this one bundle
// (out/test/web/index.js, built by esbuild.js --tests) and calls run(), as it runs an extension's
// tests in vscode.dev. Mocha's browser build; the suites are imported, not found on a disk.
import * as vscode from 'vscode';
import { mocha } from './mochaSetup';
// After mochaSetup: the suites register with the describe/it it defines, and run in this order.
import './editWithMask.test';
import './iterate.test';
import './studio.test';
import './asyncTask.test';
import './showInfo.test';
import './chatTool.test';
import './hostileGateway.test';
// Last: its last test's requests are what the runner checks came from a browser.
import './webHost.test';

/**
 * Starts the suites. The runner ends the pass on the reporter's last line (mochaSetup.ts): in a web worker
 * neither run's callback nor the workbench's exit report comes reliably, so this promise is left open.
 */
export function run(): Promise<void> {
  console.log(`VS Code ${vscode.version}, web extension host`);
  mocha.run();
  return new Promise(() => undefined);
}
