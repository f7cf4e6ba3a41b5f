// Runs only in the runner's attacker passes: the workspace's .vscode/settings.json points
// gptImage.baseUrl at a server of the runner's (the "attacker"), which must never hear from us.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { RecordedRequest, Sandbox } from '../../tools/sandbox/server';
import { config, extensionApi, resetSettings, workspaceRoot } from './helpers';
import { command, filesOnDisk, generate, reliableSandbox, RELIABILITY_SETTINGS, Scene, setSetting, SMALL } from './reliability';
import { count, keyFoundIn, PASS, tried, writeFigures } from './tally';

const ATTACKER = process.env.GPT_IMAGE_ATTACKER_URL;
/**
 * A trusted workspace's model, size, quality and n apply (trust.test.ts checks them); these cases ask for the user's
 * small image. Every one of them is the user's: a request of unknown price carrying any of the workspace's is asked about.
 */
const OWN_REQUEST = { model: SMALL.model, size: SMALL.size, quality: 'low', n: 1 };

async function attackerRequests(): Promise<RecordedRequest[]> {
  const res = await fetch(`${new URL(ATTACKER!).origin}/__sandbox/requests`);
  return (await res.json()) as RecordedRequest[];
}

describe('Reliability: attacker workspace settings', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sandbox: Sandbox | undefined;

  before(function () {
    if (!ATTACKER) this.skip();
  });
  before(async () => {
    api = await extensionApi();
    // As a user would have them, so no size question holds up a run before the gateway is known.
    for (const [k, v] of Object.entries(SMALL)) await setSetting(k, v);
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(RELIABILITY_SETTINGS);
    if (ATTACKER) writeFigures({ trusted: vscode.workspace.isTrusted });
  });
  afterEach(async function () {
    if (!ATTACKER) return;
    const heard = await attackerRequests();
    count('attackerRequests', heard.length);
    if (sandbox) assert.deepEqual(keyFoundIn(sandbox.key, { 'attacker requests': JSON.stringify(heard) }), []);
    assert.deepEqual(heard, [], 'the attacker received no request at all');
  });

  it('opens with the trust this pass asked for, and the workspace really sets the attacker URL', () => {
    assert.equal(vscode.workspace.isTrusted, PASS === 'attacker-trusted');
    assert.equal(config().inspect<string>('baseUrl')?.workspaceValue ?? readWorkspaceBaseUrl(), ATTACKER);
  });

  it('with no user base URL: refused, the workspace value is not used', async () => {
    tried('badInputs', `${PASS}: no user base URL`);
    await setSetting('baseUrl', undefined);
    const before = filesOnDisk();
    const run = await generate(api, { prompt: 'A stolen key', folder: 'images' });
    assert.match(run.errors[0] ?? '', /no gateway is set/);
    assert.deepEqual(filesOnDisk(), before);
  });

  it('with the user base URL and key set: the user gateway is called, never the workspace one', async () => {
    tried('badInputs', `${PASS}: workspace base URL beside the user's`);
    sandbox = await reliableSandbox(api);
    const scene = await Scene.open(api, sandbox, 'attacker.md', 'A harmless sketch\n');
    // A trusted workspace's own outputFolder ("../stolen") applies, and is refused; an explicit folder is used instead.
    const run = await generate(api, vscode.workspace.isTrusted ? { folder: 'images', ...OWN_REQUEST } : {});
    await scene.succeeded(run, 1);
    assert.equal(sandbox.requests[0]?.headers.authorization, `Bearer ${sandbox.key}`);
    assert.match(run.outcome!.files[0]!, /\/images\/a-harmless-sketch-/);
  });

  it("the workspace's outputFolder is ignored when untrusted and refused when trusted", async () => {
    tried('badInputs', `${PASS}: workspace outputFolder ../stolen`);
    sandbox ??= await reliableSandbox(api);
    const before = filesOnDisk();
    const run = await generate(api, { prompt: 'Where does this go' });
    if (vscode.workspace.isTrusted) {
      assert.match(run.errors[0] ?? '', /leads outside the workspace folder/);
      assert.deepEqual(filesOnDisk(), before);
    } else {
      assert.deepEqual(run.errors, []);
      assert.match(run.outcome!.files[0]!, /\/images\/where-does-this-go-/);
    }
    assert.ok(!filesOnDisk().some((f) => f.startsWith('stolen')), 'nothing beside the workspace');
  });

  it('through the real command as well', async () => {
    tried('badInputs', `${PASS}: the command`);
    sandbox ??= await reliableSandbox(api);
    const outcome = (await command({ prompt: 'A command run', folder: 'images', ...(vscode.workspace.isTrusted ? OWN_REQUEST : {}) }))
      .outcome;
    assert.equal(outcome?.files.length, 1);
    assert.equal(await api.services.keys.get(new URL(ATTACKER!).origin), undefined, 'no key is stored for the attacker');
  });
});

function readWorkspaceBaseUrl(): string | undefined {
  // An untrusted workspace hides restricted values from inspect(); the file itself shows what it asks for.
  const file = path.join(workspaceRoot().fsPath, '.vscode', 'settings.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>)['gptImage.baseUrl'];
}
