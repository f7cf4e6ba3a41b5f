import * as path from 'node:path';

/** The project's root, whether this file runs from test/ (ts) or out/test/ (compiled). */
export const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');
/** Git-ignored cache for code-server and per-run profiles, like @vscode/test-electron's `.vscode-test`. */
export const CACHE = path.join(ROOT, '.vscode-test');
/** Git-ignored folder for screenshots and logs of test runs. */
export const RESULTS = path.join(ROOT, 'test-results');
export const CODE_SERVER_VERSION = '4.100.3';

export function vsixPath(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(ROOT, 'package.json')) as { name: string; version: string };
  return path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
}
