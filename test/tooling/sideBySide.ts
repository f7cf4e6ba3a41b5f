// Runs npm scripts side by side: `node out/test/tooling/sideBySide.js lint typecheck`. The first script's output
// is shown as it comes; each other one's is held and shown whole once it and those before it have ended, so the
// log reads as if they ran one after another. Waits for all, and exits with the first failing script's code.
import { spawn } from 'node:child_process';

interface Ended {
  code: number;
  held: Buffer[];
}

function run(script: string, live: boolean): Promise<Ended> {
  const held: Buffer[] = [];
  const child = spawn('npm', ['run', '-s', script], { stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (b: Buffer) => held.push(b));
  child.stderr?.on('data', (b: Buffer) => held.push(b));
  return new Promise((resolve) => {
    child.on('error', (err) => resolve({ code: 1, held: [Buffer.from(`could not start npm run ${script}: ${err.message}\n`)] }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), held }));
  });
}

async function main(scripts: string[]): Promise<number> {
  const runs = scripts.map((s, i) => run(s, i === 0));
  let failed = 0;
  for (const [i, running] of runs.entries()) {
    const { code, held } = await running;
    if (i > 0) process.stdout.write(`\n> npm run ${scripts[i]}\n`);
    for (const b of held) process.stdout.write(b);
    if (code !== 0) console.error(`npm run ${scripts[i]} failed (exit ${code})`);
    if (!failed) failed = code;
  }
  return failed;
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
