/**
 * `npm run demo`: the sandbox gateway plus a real VS Code (code-server) in the browser, on a
 * sample workspace, with the packaged extension installed and pointed at the sandbox.
 * No key and no internet needed. Ctrl-C stops everything it started.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox } from '../../tools/sandbox/server';
import { installExtension, startCodeServer, workbenchUrl } from './codeServer';
import { CACHE, vsixPath } from './paths';
import { freshWorkspace } from './workspace';

/** The sample README's first sentence (test/fixtures/workspace/README.md, line 3). */
const DEMO_LINE = 3;

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  // Streamed previews paced so each one can be seen forming (SANDBOX_STREAM_DELAY_MS to change it).
  const sandbox = await startSandbox({
    port: Number(process.env.SANDBOX_PORT ?? 0) || undefined,
    streamDelayMs: Number(process.env.SANDBOX_STREAM_DELAY_MS ?? 700),
  });
  const extensionsDir = path.join(CACHE, 'demo', 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  installExtension(vsixPath(), extensionsDir);
  const workspace = freshWorkspace('demo-workspace');
  const server = await startCodeServer({
    workspace,
    port,
    extensionsDir,
    userDataDir: path.join(CACHE, 'demo', 'profile'),
    // The sample opens through the address as text (a README would open as a preview, where nothing can be selected).
    settings: { 'gptImage.baseUrl': sandbox.baseUrl, 'workbench.startupEditor': 'none' },
    log: path.join(CACHE, 'demo', 'code-server.log'),
  });
  console.log(`
GPT Image Studio demo is running.

  Open     ${workbenchUrl(server.url, workspace, { path: path.join(workspace, 'README.md'), line: DEMO_LINE })}
  Gateway  ${sandbox.baseUrl}  (local sandbox; already set as gptImage.baseUrl)
  API key  ${sandbox.key}  (paste it when asked)

README.md opens with the cursor on a sentence: select it (Shift+End), right-click,
and choose "Generate Image". The studio, with every option and the history, is the
GPT Image icon in the activity bar.
Press Ctrl-C to stop.
`);
  const stop = async () => {
    console.log('\nStopping…');
    await server.stop();
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
