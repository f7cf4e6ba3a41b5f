import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Sandbox } from '../../tools/sandbox/server';
import { config, workspaceRoot } from './helpers';
import { command, generate, reliabilitySuite, RELIABILITY_SETTINGS, Scene } from './reliability';
import { keyFoundIn, tried } from './tally';

const SETTING_KEYS = [...RELIABILITY_SETTINGS, 'quality', 'prices'];

describe('Reliability: the key stays in secret storage', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sandbox: Sandbox;
  const messages: string[] = [];

  reliabilitySuite((a, sb) => ((api = a), (sandbox = sb)));

  it('a session of successes and failures, some echoing the key, sends it only to the gateway', async () => {
    const key = sandbox.key;
    const session: [string, Parameters<Sandbox['enqueue']>, 'ok' | 'fail'][] = [
      ['plain success', [], 'ok'],
      ['image by URL, redirected once', [{ type: 'urlRedirects', hops: 1 }], 'ok'],
      ['a 401 echoing the Authorization header', [{ type: 'echoAuth' }], 'fail'],
      ['a 400 echoing the Authorization header', [{ type: 'echoAuth', status: 400 }], 'fail'],
      [
        'a 500 echoing it, retried',
        [
          { type: 'echoAuth', status: 500 },
          { type: 'echoAuth', status: 500 },
          { type: 'echoAuth', status: 500 },
        ],
        'fail',
      ],
      ['an image URL that 404s', [{ type: 'urlStatus', status: 404 }], 'fail'],
    ];
    for (const [name, faults, expected] of session) {
      tried('faults', `key: ${name}`);
      sandbox.reset();
      sandbox.enqueue(...faults);
      const scene = await Scene.open(api, sandbox, 'secret.md', 'A locked chest\n');
      const run = await generate(api);
      messages.push(...run.errors);
      if (expected === 'ok') await scene.succeeded(run, 1);
      else assert.equal(run.outcome, undefined, name);
      // Proves the scan would see the key: the gateway itself did receive it.
      const sent = sandbox.requests.find((r) => r.path.startsWith('/v1/images/generations'));
      assert.equal(sent?.headers.authorization, `Bearer ${key}`);
      scene.checkKey({ [`${name}: messages`]: run.errors.join('\n') });
    }
    assert.ok(
      messages.some((m) => m.includes('[REDACTED]')),
      'an echoed key was redacted, not dropped',
    );
  });

  it('through the real command, an echoed key is not in the notification text (the history keeps it)', async () => {
    tried('faults', 'key: echoed through the command');
    sandbox.reset();
    sandbox.enqueue({ type: 'echoAuth' });
    const scene = await Scene.open(api, sandbox, 'secret.md', 'A locked chest\n');
    await scene.failed(await command(), { message: /\[REDACTED\]/, viaCommand: true, httpStatus: 401 });
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('is nowhere: log, messages, history (memory and file), state, settings and settings files, workspace files', async () => {
    const key = sandbox.key;
    const places: Record<string, string> = {
      'log channel': api.services.log.recent.join('\n'),
      'messages shown': messages.join('\n'),
      'history store': JSON.stringify(await api.services.history.all()),
      'global state': JSON.stringify(api.services.state.keys().map((k) => [k, api.services.state.get(k)])),
      settings: JSON.stringify(SETTING_KEYS.map((k) => config().inspect(k))),
    };
    const historyFile = (api.services.history as unknown as { storage?: vscode.Uri }).storage;
    if (historyFile) places['history file'] = await readText(vscode.Uri.joinPath(historyFile, 'history.json'));
    const userSettings = process.env.GPT_IMAGE_USER_SETTINGS;
    if (userSettings) places['user settings.json'] = fs.readFileSync(userSettings, 'latin1');
    for (const uri of await vscode.workspace.findFiles('**/*')) places[vscode.workspace.asRelativePath(uri)] = await readText(uri);
    places['workspace .vscode/settings.json'] = await readText(vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json'));
    assert.ok(Object.keys(places).length > 8, 'files were searched');
    assert.deepEqual(keyFoundIn(key, places), []);
    assert.ok(
      api.services.log.recent.some((l) => l.includes('[REDACTED]')),
      'the log redacted an echoed key',
    );
  });
});

async function readText(uri: vscode.Uri): Promise<string> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('latin1');
  } catch {
    return '';
  }
}
