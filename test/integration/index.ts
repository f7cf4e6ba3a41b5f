import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Entry point the extension host calls (same contract as @vscode/test-electron). */
export function run(): Promise<void> {
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
