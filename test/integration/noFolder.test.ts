// Runs only in the runner's no-folder pass: a window with no workspace open, where the flow asks
// where to save with a dialog. Cancelling that dialog must write nothing anywhere.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Sandbox } from '../../tools/sandbox/server';
import { extensionApi, resetSettings, sleep } from './helpers';
import { generate, reliableSandbox, RELIABILITY_SETTINGS } from './reliability';
import { keyFoundIn, PASS, tried, writeFigures } from './tally';

describe('Reliability: no workspace open', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sandbox: Sandbox;

  before(function () {
    if (PASS !== 'no-folder') this.skip();
  });
  before(async () => {
    api = await extensionApi();
    sandbox = await reliableSandbox(api);
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(RELIABILITY_SETTINGS);
    if (PASS === 'no-folder') writeFigures();
  });

  it('cancelling the save dialog writes nothing and records the cancel', async () => {
    tried('badInputs', 'no workspace open, save dialog cancelled');
    assert.equal(vscode.workspace.workspaceFolders, undefined, 'no folder is open');
    const home = () => fs.readdirSync(os.homedir()).sort();
    const before = home();
    let settled = false;
    const running = generate(api, { prompt: 'A homeless picture' }).finally(() => (settled = true));
    // The dialog opens once the image is in; close it as a user pressing Escape would.
    for (let i = 0; i < 100 && !settled; i++) {
      await sleep(200);
      if (sandbox.requests.length) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
    const run = await running;
    assert.equal(run.outcome, undefined);
    assert.match(run.errors[0] ?? '', /no place to save was chosen\. Nothing was saved/);
    assert.deepEqual(home(), before, 'nothing written in the home folder the dialog offered');
    const [last] = await api.services.history.all();
    assert.equal(last?.status, 'cancelled');
    assert.deepEqual(keyFoundIn(sandbox.key, { message: run.errors.join('\n'), log: api.services.log.recent.join('\n') }), []);
  });

  it('without a chat model (this pass loads none): Improve prompt is not offered, and nothing fails', async () => {
    assert.deepEqual(await vscode.lm.selectChatModels(), []);
    assert.equal(await api.services.chat.available(), false);
    assert.ok(
      api.studio.posted.some((m) => m.type === 'promptHelp' && !m.available),
      'the studio is told to hide its Improve prompt button',
    );
    assert.deepEqual(
      api.services.log.recent.filter((l) => /chat model/i.test(l)),
      [],
      'nothing about the chat model in the log',
    );
  });
});
