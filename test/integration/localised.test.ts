// Runs only in the runner's zh-cn pass, where VS Code's display language is Chinese: a failure the
// core reports (a 401 from the gateway) reaches the user and the history in Chinese, worded from the
// l10n bundle, with the gateway's own text as it sent it, and neither a message id nor the key in sight.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Sandbox } from '../../tools/sandbox/server';
import { EXTENSION_ID, extensionApi, resetSettings } from './helpers';
import { generate, reliableSandbox, RELIABILITY_SETTINGS } from './reliability';
import { keyFoundIn, PASS, writeFigures } from './tally';

function bundle(): Record<string, string> {
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  return JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
}

describe('Localised: Chinese UI', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sandbox: Sandbox;

  before(function () {
    if (PASS !== 'zh-cn') this.skip();
  });
  before(async () => {
    api = await extensionApi();
    sandbox = await reliableSandbox(api);
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(RELIABILITY_SETTINGS);
    if (PASS === 'zh-cn') writeFigures();
  });

  it('runs with the display language zh-cn and the extension bundle loaded', () => {
    assert.equal(vscode.env.language, 'zh-cn');
    assert.equal(vscode.l10n.t('Show Log'), bundle()['Show Log']);
    assert.notEqual(vscode.l10n.t('Show Log'), 'Show Log');
  });

  it('a 401 from the gateway is told in Chinese, and so recorded', async () => {
    sandbox.enqueue({ type: 'status', status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided' });
    const run = await generate(api, { prompt: 'A lantern by the river' });
    assert.equal(run.outcome, undefined);
    const template = bundle()['The gateway refused the API key ({0}). Check or replace the key.']!;
    const said = bundle()['{0}: {1}']!.replace('{0}', 'HTTP 401 invalid_api_key').replace('{1}', 'Incorrect API key provided');
    assert.equal(run.errors[0], template.replace('{0}', said));
    assert.match(run.errors[0]!, /^网关拒绝了 API 密钥（HTTP 401 invalid_api_key：Incorrect API key provided）。/);
    const [last] = await api.services.history.all();
    assert.equal(last?.status, 'failed');
    assert.equal(last?.error, run.errors[0]);
    for (const text of [run.errors[0]!, last?.error ?? '']) {
      assert.doesNotMatch(text, /keyRefused|The gateway refused/, 'neither the message id nor the English text');
    }
    assert.deepEqual(keyFoundIn(sandbox.key, { message: run.errors.join('\n'), log: api.services.log.recent.join('\n') }), []);
  });
});
