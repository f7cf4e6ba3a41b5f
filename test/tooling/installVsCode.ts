// Installs VS Code versions (code-server releases) into the cache. Without an argument: the oldest version the run
// selects (GPT_IMAGE_VSCODE), which the first integration passes open; `npm test` runs this beside the unit tests.
// With a version name: that one. The integration runner installs the newer versions through `installInBackground`
// while the oldest version's passes run. An install is mostly compiling native modules (about three minutes of one
// core); at the lowest priority it mostly takes the cores the tests leave idle (a third of them in a main pass). It
// still slows the pass beside it somewhat (1.100's main pass: 276 s without it, 334-350 s with it), but the run is
// shorter than with the install at normal priority after that pass. Already installed versions cost nothing.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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
    // Before it starts npm: everything it starts inherits the priority. One already gone (nothing to install) has none.
    try {
      if (child.pid) os.setPriority(child.pid, os.constants.priority.PRIORITY_LOW);
    } catch {
      /* it runs at normal priority, or has ended */
    }
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
