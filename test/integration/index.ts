import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** Entry point the extension host calls (same contract as @vscode/test-electron). */
export function run(): Promise<void> {
  // The runner names the VS Code version it meant to start: a run on another one would prove nothing about it.
  const expected = process.env.GPT_IMAGE_VSCODE_EXPECTED;
  console.log(`VS Code ${vscode.version}`);
  if (expected && !vscode.version.startsWith(`${expected}.`))
    return Promise.reject(new Error(`expected VS Code ${expected}, but the extension host runs ${vscode.version}`));
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.GPT_IMAGE_TEST_GREP;
  // Plain text, not a pattern: titles hold parentheses. GPT_IMAGE_TEST_REGEX (a pattern) picks several suites.
  if (grep) mocha.grep(new RegExp(grep.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  else if (process.env.GPT_IMAGE_TEST_REGEX) mocha.grep(new RegExp(process.env.GPT_IMAGE_TEST_REGEX));
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // Where a pass spends its time, hooks included (the reporter times tests only): slowest suites first.
      const slowest = [...spent].sort((a, b) => b[1] - a[1]).slice(0, 12);
      console.log(
        `time per suite, hooks included: ${slowest.map(([title, ms]) => `${title.slice(0, 40)} ${(ms / 1000).toFixed(1)} s`).join(' | ')}`,
      );
      return failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve();
    });
    const spent: [string, number][] = [];
    const started = new Map<Mocha.Suite, number>();
    runner.on('suite', (suite) => started.set(suite, Date.now()));
    runner.on('suite end', (suite) => {
      if (suite.parent?.root) spent.push([suite.title, Date.now() - (started.get(suite) ?? Date.now())]);
    });
  });
}
