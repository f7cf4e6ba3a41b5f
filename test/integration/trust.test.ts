// What a request costs is the user's to decide. The attacker passes open a workspace whose settings ask for
// many large high-quality images with no question (see HOSTILE_REQUEST in test/tooling/runIntegration.ts);
// the main pass checks the question itself against the user's own settings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { IMAGE_TOOL_NAME } from '../../src/chat/imageTool';
import { defaultConfirmAbove, type CostQuestion } from '../../src/core/cost';
import type { TestApi } from '../../src/extension';
import { loadForm } from '../../src/sidebar/studioState';
import type { RecordedRequest, Sandbox } from '../../tools/sandbox/server';
import { extensionApi, resetSettings, workspaceRoot } from './helpers';
import { command, filesOnDisk, generate, reliableSandbox, RELIABILITY_SETTINGS, Scene, setSetting } from './reliability';
import { PASS, tried, writeFigures } from './tally';

const ATTACKER = process.env.GPT_IMAGE_ATTACKER_URL;
const SETTINGS = [
  ...RELIABILITY_SETTINGS,
  ...['quality', 'mode', 'confirmAbove', 'prices', 'previews', 'background', 'moderation', 'outputCompression', 'streamingModels', 'user'],
];
/** The user's own choice: one small priced image, well below the default threshold. */
const MINE = { model: 'gpt-image-2-origin', size: '1024x768', quality: 'low', n: 1, askForSize: false, mode: 'sync' };
/** What the attacker workspace's request settings make of a request (n: the model's most, 8). */
const HOSTILE = { model: 'gpt-image-2-origin', size: '3840x2160', quality: 'high' };
const pick = (s: { model: string; size: string; quality: string }) => ({ model: s.model, size: s.size, quality: s.quality });

/** Answers the cost question as told and keeps each one asked. */
function answer(api: TestApi, yes: boolean): CostQuestion[] {
  const asked: CostQuestion[] = [];
  api.services.confirmCost = (q) => (asked.push(q), Promise.resolve(yes));
  return asked;
}

/** The image requests the gateway received (task polls and downloads left out). */
function imageRequests(sandbox: Sandbox): RecordedRequest[] {
  return sandbox.requests.filter((r) => r.method === 'POST');
}

function body(r: RecordedRequest | undefined): Record<string, unknown> {
  return (r?.json ?? {}) as Record<string, unknown>;
}

async function historySize(api: TestApi): Promise<number> {
  return (await api.services.history.all()).length;
}

/** Writes the workspace's .vscode/settings.json as a repository commits it (undefined: deletes it); resolves once applied. */
async function workspaceSettings(values: Record<string, unknown> | undefined): Promise<void> {
  const file = vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json');
  let listener: vscode.Disposable | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const applied = new Promise<void>((resolve, reject) => {
    listener = vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('gptImage') && resolve());
    timer = setTimeout(() => reject(new Error('VS Code did not apply the workspace settings within 10 s')), 10_000);
  });
  try {
    if (values) await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(values)));
    else await vscode.workspace.fs.delete(file);
    await applied;
  } finally {
    listener?.dispose();
    clearTimeout(timer);
  }
}

describe('Reliability: attacker workspace: what a request costs', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sandbox: Sandbox;

  before(function () {
    if (!ATTACKER) this.skip();
  });
  before(async () => {
    api = await extensionApi();
    sandbox = await reliableSandbox(api, {}, MINE);
  });
  beforeEach(() => sandbox.reset());
  afterEach(() => (api.services.confirmCost = undefined));
  after(async () => {
    if (!ATTACKER) return;
    await sandbox?.close();
    await resetSettings(SETTINGS);
    writeFigures({ trusted: vscode.workspace.isTrusted });
  });

  it('the workspace really asks for ten 4K high-quality images, async, with no size or cost question', () => {
    const file = path.join(workspaceRoot().fsPath, '.vscode', 'settings.json');
    const asked = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(
      [asked['gptImage.n'], asked['gptImage.size'], asked['gptImage.quality'], asked['gptImage.askForSize'], asked['gptImage.mode']],
      [10, '3840x2160', 'high', false, 'async'],
    );
    assert.equal(asked['gptImage.confirmAbove'], 0);
    assert.deepEqual(asked['gptImage.prices'], { 'gpt-image-2-origin': { '1K': 0, '2K': 0, '4K': 0 } });
  });

  it("untrusted: the user's request is sent; trusted: the workspace's, after one question (declined: nothing sent)", async () => {
    tried('badInputs', `${PASS}: workspace n, size, quality, model, mode, confirmAbove and prices`);
    const asked = answer(api, false);
    const scene = await Scene.open(api, sandbox, 'costly.md', 'A costly sunset\n');
    const run = await generate(api, { folder: 'images' });
    if (!vscode.workspace.isTrusted) {
      await scene.succeeded(run, 1);
      assert.deepEqual(asked, [], 'no question for the user own small request');
      const sent = imageRequests(sandbox);
      assert.deepEqual(
        sent.map((r) => r.path),
        ['/v1/images/generations'],
      );
      const { model, size, quality, n } = body(sent[0]);
      assert.deepEqual({ model, size, quality, n }, { model: MINE.model, size: MINE.size, quality: MINE.quality, n: 1 });
      return;
    }
    // The workspace's confirmAbove 0 and zero prices count for nothing: list prices, the user's threshold.
    assert.deepEqual(asked, [
      {
        model: 'gpt-image-2-origin',
        size: '3840x2160',
        quality: 'high',
        n: 8,
        cost: 0.91392,
        confirmAbove: defaultConfirmAbove(),
        // Its previews are not sent: the user's own streamingModels does not name the model. Its model is the
        // user's own (MINE): restated, not chosen elsewhere.
        chosenElsewhere: ['gptImage.size', 'gptImage.quality', 'gptImage.n'],
      },
    ]);
    assert.deepEqual(sandbox.requests, [], 'nothing sent');
    await scene.failed(run, { message: /estimated cost \(about \$0\.9139\) was not confirmed\. Nothing was sent\./, refused: true });
  });

  it("untrusted: the command sends the user's request too; trusted and confirmed: the workspace's is sent", async () => {
    tried('badInputs', `${PASS}: workspace request settings through the command`);
    const asked = answer(api, true);
    const before = await historySize(api);
    const run = await command({ prompt: 'A confirmed sunset', folder: 'images' });
    const sent = imageRequests(sandbox);
    const { model, size, quality, n } = body(sent[0]);
    if (!vscode.workspace.isTrusted) {
      assert.equal(run.outcome?.files.length, 1);
      assert.deepEqual(asked, []);
      assert.deepEqual({ path: sent[0]?.path, model, size, quality, n }, { path: '/v1/images/generations', ...pick(MINE), n: 1 });
    } else {
      assert.equal(asked.length, 1, 'asked once');
      assert.deepEqual({ path: sent[0]?.path, model, size, quality, n }, { path: '/v1/images/tasks', ...pick(HOSTILE), n: 8 });
      assert.equal(run.outcome?.files.length, 8);
    }
    assert.equal(sent.length, 1, 'one request');
    assert.equal((await historySize(api)) - before, 1);
  });

  it("untrusted: the workspace's previews and request options count for nothing; trusted: they do, but never its streamingModels or user id", async () => {
    tried('badInputs', `${PASS}: workspace previews, background, moderation, compression, streamingModels and user id`);
    answer(api, true);
    // The user's own previews at their default (the suite's other cases turn them off).
    await setSetting('previews', undefined);
    const args = { prompt: 'A streamed lighthouse', model: 'gpt-image-2', size: '1024x1024', outputFormat: 'webp', n: 1, mode: 'sync' };
    const run = await generate(api, { ...args, folder: 'images' });
    await setSetting('previews', 'off');
    assert.equal(run.outcome?.files.length, 1, run.errors.join('\n'));
    const { stream, partial_images, background, moderation, output_compression, user } = body(imageRequests(sandbox)[0]);
    const sent = { stream, partial_images, background, moderation, output_compression, user };
    const unset = { background: undefined, moderation: undefined, output_compression: undefined, user: undefined };
    // Untrusted: the user's own previews (the default, 2) and nothing else; trusted: the workspace's, but no user id.
    const workspace = { stream: true, partial_images: 3, background: 'opaque', moderation: 'low', output_compression: 10, user: undefined };
    assert.deepEqual(sent, vscode.workspace.isTrusted ? workspace : { ...unset, stream: true, partial_images: 2 });
    // The provider's model streams only when the user's own gptImage.streamingModels names it.
    sandbox.reset();
    const origin = await generate(api, { ...args, model: 'gpt-image-2-origin', size: '1024x768', folder: 'images' });
    assert.equal(origin.outcome?.files.length, 1, origin.errors.join('\n'));
    assert.equal(body(imageRequests(sandbox)[0]).stream, undefined);
  });
});

describe("Reliability: the cost question (the user's own settings)", function () {
  this.timeout(60_000);
  let api: TestApi;
  let sandbox: Sandbox;

  before(async () => {
    api = await extensionApi();
    sandbox = await reliableSandbox(api, {}, MINE);
  });
  beforeEach(() => sandbox.reset());
  afterEach(async () => {
    api.services.confirmCost = undefined;
    for (const k of ['confirmAbove', 'prices']) await setSetting(k, undefined);
    for (const [k, v] of Object.entries(MINE)) await setSetting(k, v);
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(SETTINGS);
    writeFigures();
  });

  it('five 2K images ask first; declined, nothing is sent, written or recorded, and one message says so', async () => {
    tried('badInputs', 'five 2K images above gptImage.confirmAbove, declined');
    await setSetting('size', '2048x1152');
    await setSetting('n', 5);
    const asked = answer(api, false);
    const scene = await Scene.open(api, sandbox, 'five.md', 'Five wide valleys\n');
    const run = await generate(api);
    assert.deepEqual(asked, [
      { model: 'gpt-image-2-origin', size: '2048x1152', quality: 'low', n: 5, cost: 0.2788, confirmAbove: 0.22304 },
    ]);
    assert.deepEqual(sandbox.requests, []);
    await scene.failed(run, { message: /about \$0\.2788\) was not confirmed/, refused: true });
  });

  it('declined through the command: nothing sent or written, and no error notification', async () => {
    tried('badInputs', 'declined through the command');
    await setSetting('n', 3);
    await setSetting('confirmAbove', 0.05);
    const asked = answer(api, false);
    const scene = await Scene.open(api, sandbox, 'command.md', 'Three small boats\n');
    const before = await historySize(api);
    const run = await command();
    assert.equal(asked.length, 1);
    assert.equal(run.outcome, undefined);
    assert.deepEqual(sandbox.requests, []);
    scene.checkNothingWritten();
    assert.equal(await historySize(api), before, 'a declined request is no failure in the history');
    assert.ok(api.services.log.recent.at(-1)?.includes('declined, nothing sent'), 'the log says why');
  });

  it("confirmed, the request goes out as asked; the user's own prices count", async () => {
    tried('badInputs', "above the user's prices, confirmed");
    await setSetting('prices', { 'gpt-image-2-origin': { '1K': 0.3 } });
    const asked = answer(api, true);
    const scene = await Scene.open(api, sandbox, 'mine.md', 'One dear lantern\n');
    const run = await generate(api);
    assert.deepEqual(
      asked.map((q) => q.cost),
      [0.3],
    );
    await scene.succeeded(run, 1);
  });

  it('gptImage.confirmAbove 0 never asks; an unknown price does not block and is logged', async () => {
    tried('badInputs', 'confirmAbove 0, and a model without a price');
    await setSetting('n', 3);
    await setSetting('confirmAbove', 0);
    const asked = answer(api, false);
    const three = await generate(api, { prompt: 'Three small boats', folder: 'images' });
    assert.equal(three.outcome?.files.length, 3);
    await setSetting('confirmAbove', 0.001);
    const unpriced = await generate(api, { prompt: 'An unpriced moon', folder: 'images', model: 'gpt-image-2', size: '256x256', n: 1 });
    assert.equal(unpriced.outcome?.files.length, 1);
    assert.deepEqual(asked, []);
    assert.ok(api.services.log.recent.some((l) => /cost unknown for model=gpt-image-2 size=256x256 n=1/.test(l)));
  });

  it("a workspace's choice of an unpriced model and three images asks first; the same from the user does not", async () => {
    tried('badInputs', 'workspace model and n with no known price');
    const asked = answer(api, false);
    await workspaceSettings({ 'gptImage.model': 'gpt-image-2-auto', 'gptImage.n': 3 });
    try {
      const scene = await Scene.open(api, sandbox, 'unpriced.md', 'Three unpriced moons\n');
      const run = await generate(api);
      assert.deepEqual(asked, [
        {
          model: 'gpt-image-2-auto',
          size: 'auto',
          quality: 'low',
          n: 3,
          cost: undefined,
          confirmAbove: defaultConfirmAbove(),
          chosenElsewhere: ['gptImage.model', 'gptImage.n'],
        },
      ]);
      assert.deepEqual(sandbox.requests, [], 'nothing sent');
      await scene.failed(run, { message: /whose cost is not known, was not confirmed\. Nothing was sent\./, refused: true });
      // The studio's form is kept across windows: it takes none of a workspace's choices, to carry into others.
      assert.notEqual(loadForm(api.services.state).model, 'gpt-image-2-auto', "the studio's model stays the user's");
    } finally {
      await workspaceSettings(undefined);
    }
    await setSetting('model', 'gpt-image-2-auto');
    await setSetting('n', 3);
    const mine = await generate(api, { prompt: 'Three moons of my own', folder: 'images' });
    assert.equal(mine.outcome?.files.length, 3, mine.errors.join('\n'));
    assert.equal(asked.length, 1, 'the user chose it: no question');
    // A workspace that restates the user's own choice changes nothing: still no question.
    await workspaceSettings({ 'gptImage.model': 'gpt-image-2-auto', 'gptImage.n': 3 });
    try {
      const restated = await generate(api, { prompt: 'Three moons the workspace restates', folder: 'images' });
      assert.equal(restated.outcome?.files.length, 3, restated.errors.join('\n'));
      assert.equal(asked.length, 1, "the workspace's values are the user's own: no question");
    } finally {
      await workspaceSettings(undefined);
    }
  });

  it('the chat tool asks too; declined, the tool call ends with a clear text and nothing sent', async () => {
    tried('badInputs', 'chat tool above gptImage.confirmAbove, declined');
    await setSetting('confirmAbove', 0.01);
    const asked = answer(api, false);
    const before = filesOnDisk();
    const result = await vscode.lm.invokeTool(
      IMAGE_TOOL_NAME,
      { input: { prompt: 'A paper boat', n: 2 }, toolInvocationToken: undefined },
      new vscode.CancellationTokenSource().token,
    );
    const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.equal(asked.length, 1);
    assert.match(text, /^No image was generated and nothing was saved: .*estimated cost \(about \$0\.0367\) was not confirmed/);
    assert.deepEqual(sandbox.requests, []);
    assert.deepEqual(filesOnDisk(), before);
  });

  it("the chat tool asks before an unpriced request whose count or quality the agent chose; the user's own is not asked", async () => {
    tried('badInputs', 'chat tool: unpriced request with the agent n and quality, declined');
    // VS Code's own confirmation may have been allowed for every later call; an unpriced model leaves no estimate.
    // gpt-image-1 at quality auto has no price.
    await setSetting('model', 'gpt-image-1');
    await setSetting('size', '1024x1024');
    await setSetting('quality', 'low');
    const asked = answer(api, false);
    const before = filesOnDisk();
    const invoke = async (input: Record<string, unknown>) => {
      const result = await vscode.lm.invokeTool(
        IMAGE_TOOL_NAME,
        { input, toolInvocationToken: undefined },
        new vscode.CancellationTokenSource().token,
      );
      return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    };
    const text = await invoke({ prompt: 'Ten paper boats', n: 10, quality: 'auto', size: '1536x1024' });
    assert.deepEqual(
      asked.map((q) => [q.model, q.n, q.size, q.quality, q.cost, q.chosenElsewhere]),
      [['gpt-image-1', 10, '1536x1024', 'auto', undefined, ['n (chat agent)', 'size (chat agent)', 'quality (chat agent)']]],
    );
    assert.match(text, /^No image was generated and nothing was saved: .*whose cost is not known, was not confirmed\. Nothing was sent\./);
    assert.deepEqual(sandbox.requests, []);
    assert.deepEqual(filesOnDisk(), before);
    // The user's own unpriced quality, size and count, restated by the agent: nothing it chose drives the cost.
    await setSetting('quality', 'auto');
    const own = await invoke({ prompt: 'One paper boat', quality: 'auto', size: '1024x1024', folder: 'images' });
    assert.equal(asked.length, 1, own);
    assert.ok(api.services.log.recent.some((l) => /cost unknown for model=gpt-image-1 size=1024x1024 n=1 \(no price\): not asked/.test(l)));
    assert.match(own, /images\/one-paper-boat/);
    assert.equal(imageRequests(sandbox).length, 1);
  });
});
