/**
 * Runs the Mocha suites of test/integration inside a real VS Code extension host: code-server's,
 * opened by headless Chromium, the offline twin of what `npm run test:electron` does with a
 * downloaded VS Code. The workbench reports the suites' exit code through codeAutomationExit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { launchBrowser } from './browser';
import { startCodeServer } from './codeServer';
import { RESULTS, ROOT } from './paths';
import { freshWorkspace } from './workspace';

const TIME_LIMIT_MS = 15 * 60_000;

async function main(): Promise<number> {
  fs.mkdirSync(RESULTS, { recursive: true });
  const workspace = freshWorkspace();
  const server = await startCodeServer({ workspace, log: path.join(RESULTS, 'integration-code-server.log') });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = format(...(args as [unknown, ...unknown[]]));
      // The workbench forwards every console line; keep the suites' own output, drop its noise.
      if (/^(Resolv(ing|ed) connection token|Creating a socket|Updating additional builtin|\[Service Worker\]|ChatSessionStore)/.test(text)) return;
      if (type === 'error' && !/open-vsx|service worker|Failed to load resource/i.test(text)) console.error(text);
      else if (type === 'log' || type === 'info') console.log(text);
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(path.join(ROOT, 'out', 'test', 'integration', 'index'))],
      ['skipWelcome', 'true'],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        console.error(`Integration tests did not finish within ${TIME_LIMIT_MS / 60_000} minutes.`);
        resolve(1);
      }, TIME_LIMIT_MS).unref(),
    );
    return await Promise.race([exit, timeout]);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
