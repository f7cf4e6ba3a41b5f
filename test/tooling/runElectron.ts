/** The same integration suites through @vscode/test-electron, on a machine that can download VS Code. */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ROOT } from './paths';
import { freshWorkspace } from './workspace';

runTests({
  version: '1.100.3',
  extensionDevelopmentPath: ROOT,
  extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration', 'index'),
  launchArgs: [freshWorkspace(), '--disable-extensions', '--disable-workspace-trust'],
}).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
