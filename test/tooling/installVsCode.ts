// Installs every VS Code version the run selects (GPT_IMAGE_VSCODE) into the cache side by side, before the tests
// that open them: an install mostly waits on the registry and on native builds, so two at once take little longer
// than one (each alone is about two minutes on a clean machine). Already installed versions cost nothing.
// With a version name as its argument it installs that one: the parent runs one such child per version.
import { spawn } from 'node:child_process';
import { ensureCodeServer } from './codeServer';
import { selectedTargets, TARGETS } from './vscodeTargets';

function installOne(name: string): number {
  const target = TARGETS.find((t) => t.name === name);
  if (!target) throw new Error(`no tested VS Code version is named ${name}`);
  ensureCodeServer(target);
  return 0;
}

async function installSelected(): Promise<number> {
  const codes = await Promise.all(
    selectedTargets().map(
      (target) =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, [__filename, target.name], { stdio: 'inherit' });
          child.on('error', () => resolve(1));
          child.on('exit', (code) => resolve(code ?? 1));
        }),
    ),
  );
  return Math.max(0, ...codes);
}

const name = process.argv[2];
(name ? Promise.resolve(installOne(name)) : installSelected()).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
