import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { NEWEST, OLDEST, selectedTargets, workbenchTarget } from '../tooling/vscodeTargets';

const ROOT = path.resolve(__dirname, '../../..');

test('the oldest VS Code tested is the one engines.vscode names', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { vscode: string } };
  assert.equal(pkg.engines.vscode, `^${OLDEST.name}.0`);
  assert.ok(OLDEST.codeServer.startsWith(`4.${OLDEST.name.split('.')[1]}.`), 'code-server 4.N bundles VS Code 1.N');
  assert.ok(NEWEST.codeServer.startsWith(`4.${NEWEST.name.split('.')[1]}.`), 'code-server 4.N bundles VS Code 1.N');
});

test('GPT_IMAGE_VSCODE selects one version or both; unset means both', () => {
  assert.deepEqual(selectedTargets(undefined), [OLDEST, NEWEST]);
  assert.deepEqual(selectedTargets(''), [OLDEST, NEWEST]);
  assert.deepEqual(selectedTargets('both'), [OLDEST, NEWEST]);
  assert.deepEqual(selectedTargets('1.100'), [OLDEST]);
  assert.deepEqual(selectedTargets(' 1.139 '), [NEWEST]);
});

test('a workbench opens on the newest selected version', () => {
  assert.equal(workbenchTarget(undefined), NEWEST);
  assert.equal(workbenchTarget('both'), NEWEST);
  assert.equal(workbenchTarget('1.100'), OLDEST);
});

test('an unknown GPT_IMAGE_VSCODE names the versions to use instead of testing another one', () => {
  assert.throws(() => selectedTargets('1.120'), /GPT_IMAGE_VSCODE=1\.120 is not a tested VS Code version: use one of 1\.100, 1\.139, both/);
});
