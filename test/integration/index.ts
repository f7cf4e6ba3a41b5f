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
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
