// Installs VS Code versions (code-server releases) into the cache. Without an argument: the oldest version the run
// selects (GPT_IMAGE_VSCODE), which the first integration passes open; `npm test` runs this first. With a version
// name: that one. The integration runner installs the newer versions through `installInBackground` while the
// oldest version's shorter passes run (an install mostly waits on the registry and on native builds: about three
// minutes on a clean machine that no longer add to the run). Already installed versions cost nothing.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureCodeServer } from './codeServer';
import { CACHE } from './paths';
import { selectedTargets, TARGETS, type VsCodeTarget } from './vscodeTargets';

/**
 * Starts a version's install in a child process; resolves once it is there, and rejects (with where its output
 * went) when it failed. Its output goes to a file beside the cache, so it does not interleave with the tests'.
 */
export function installInBackground(target: VsCodeTarget): Promise<void> {
  fs.mkdirSync(CACHE, { recursive: true });
  const log = path.join(CACHE, `install-${target.name}.log`);
  const out = fs.openSync(log, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, target.name], { stdio: ['ignore', out, out] });
    const fail = (why: string) => reject(new Error(`installing VS Code ${target.name} ${why}; see ${log}`));
    child.on('error', (err) => fail(`could not start (${err.message})`));
    child.on('exit', (code) => {
      fs.closeSync(out);
      if (code === 0) resolve();
      else fail(`failed (exit ${code})`);
    });
  });
}

if (require.main === module) {
  const name = process.argv[2];
  const target = name ? TARGETS.find((t) => t.name === name) : selectedTargets()[0];
  if (!target) {
    console.error(`No tested VS Code version is named ${name}: use one of ${TARGETS.map((t) => t.name).join(', ')}.`);
    process.exit(1);
  }
  ensureCodeServer(target);
}
