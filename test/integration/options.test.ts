// The request options beyond quality and format, per model, as the gateway receives them: each model gets
// exactly the fields it takes, whatever asked for them (settings, a command's arguments, the chat tool,
// the Explorer edit), and the refused combination never leaves the machine.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { IMAGE_TOOL_NAME } from '../../src/chat/imageTool';
import type { TestApi } from '../../src/extension';
import type { EditSummary } from '../../tools/sandbox/edits';
import { renderImage } from '../../tools/sandbox/render';
import type { RecordedRequest, Sandbox } from '../../tools/sandbox/server';
import { connectedSandbox, extensionApi, resetSettings, runEditCommand, workspaceRoot } from './helpers';
import { atFastTime, generate, setSetting } from './reliability';

const OPTIONS = ['background', 'moderation', 'outputCompression', 'inputFidelity', 'previews', 'user', 'streamingModels'];
const SETTINGS = ['baseUrl', 'askForSize', 'size', 'n', 'model', 'quality', 'outputFormat', 'mode', ...OPTIONS];
/** Every later option set away from its default, with a format that takes compression and transparency. */
const EVERYTHING = {
  outputFormat: 'webp',
  background: 'transparent',
  moderation: 'low',
  outputCompression: 80,
  inputFidelity: 'high',
  previews: '2',
  user: 'user-42',
};
const FOLDER = 'option-sources';

const posts = (sandbox: Sandbox): RecordedRequest[] => sandbox.requests.filter((r) => r.method === 'POST');
const body = (r: RecordedRequest | undefined) => (r?.json ?? {}) as Record<string, unknown>;

describe('Request options per model (real extension host, sandbox gateway)', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sandbox: Sandbox;

  before(async () => {
    api = await extensionApi();
    sandbox = await connectedSandbox(api, { askForSize: false, quality: 'medium' });
  });
  beforeEach(async () => {
    sandbox.reset();
    for (const [k, v] of Object.entries(EVERYTHING)) await setSetting(k, v);
    for (const k of ['streamingModels', 'mode']) await setSetting(k, undefined);
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(SETTINGS);
    await vscode.workspace.fs
      .delete(vscode.Uri.joinPath(workspaceRoot(), FOLDER), { recursive: true, useTrash: false })
      .then(undefined, () => undefined);
  });

  /** Generates with one model and returns the one body the gateway received. */
  async function sent(model: string, size: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    sandbox.reset();
    const run = await generate(api, { prompt: `An otter for ${model}`, model, size, folder: 'images', ...args });
    assert.deepEqual(run.errors, [], model);
    assert.equal(run.outcome?.files.length, 1, model);
    const [only, ...more] = posts(sandbox);
    assert.equal(more.length, 0, `${model}: one request`);
    return body(only);
  }

  it('each model gets exactly the options it takes from the settings, previews only where it streams', async () => {
    const base = (model: string, size: string) => ({ model, prompt: `An otter for ${model}`, size, n: 1 });
    const openAi = { quality: 'medium', output_format: 'webp', background: 'transparent', moderation: 'low', output_compression: 80 };
    const streamed = { user: 'user-42', stream: true, partial_images: 2 };
    const expected: [string, string, Record<string, unknown>][] = [
      ['gpt-image-2', '1024x1024', { ...base('gpt-image-2', '1024x1024'), ...openAi, ...streamed }],
      ['gpt-image-1.5', '1024x1536', { ...base('gpt-image-1.5', '1024x1536'), ...openAi, ...streamed }],
      ['gpt-image-1', '1536x1024', { ...base('gpt-image-1', '1536x1024'), ...openAi, ...streamed }],
      ['gpt-image-2-origin', '1024x768', { ...base('gpt-image-2-origin', '1024x768'), quality: 'medium', output_format: 'webp' }],
      ['gpt-image-2-auto', 'auto', { ...base('gpt-image-2-auto', 'auto'), quality: 'medium', output_format: 'webp' }],
      ['dall-e-3', '1024x1024', { ...base('dall-e-3', '1024x1024'), user: 'user-42' }],
      ['dall-e-2', '256x256', { ...base('dall-e-2', '256x256'), user: 'user-42' }],
    ];
    for (const [model, size, wire] of expected) assert.deepEqual(await sent(model, size), wire, model);
    // What was left out is in the log, with why; the user id is never in it.
    const log = api.services.log.recent.join('\n');
    assert.match(log, /background=transparent \(dall-e-2 takes no background\)/);
    assert.match(log, /user=\(set\) \(gpt-image-2-origin takes no user id\)/);
    assert.ok(!log.includes('user-42'), 'the user id is not logged');
    assert.match(log, /previews=2 \(gpt-image-2-origin does not stream unless gptImage\.streamingModels names it\)/);
    assert.match(log, /generate model=gpt-image-1 .* background=transparent moderation=low outputCompression=80 partialImages=2/);
  });

  it('gptImage.streamingModels lets a provider or gateway model stream; DALL·E never does', async () => {
    await setSetting('streamingModels', ['gpt-image-2-origin', 'dall-e-2', 'house-model']);
    const origin = await sent('gpt-image-2-origin', '1024x768');
    assert.deepEqual([origin.stream, origin.partial_images, origin.background], [true, 2, undefined]);
    const dalle = await sent('dall-e-2', '256x256');
    assert.deepEqual([dalle.stream, dalle.partial_images], [undefined, undefined]);
    const house = await sent('house-model', '1024x1024');
    assert.deepEqual([house.stream, house.partial_images, house.background, house.input_fidelity], [true, 2, 'transparent', undefined]);
    await setSetting('streamingModels', undefined);
    assert.equal((await sent('house-model', '1024x1024')).stream, undefined, 'not named: no stream');
  });

  it("the API's defaults are not sent, and previews off sends no stream", async () => {
    for (const [k, v] of Object.entries({ background: 'auto', moderation: 'auto', outputCompression: 100, previews: 'off', user: '' })) {
      await setSetting(k, v);
    }
    assert.deepEqual(await sent('gpt-image-2', '1024x1024'), {
      ...{ model: 'gpt-image-2', prompt: 'An otter for gpt-image-2', size: '1024x1024' },
      ...{ quality: 'medium', output_format: 'webp', n: 1 },
    });
  });

  it('a transparent background with JPEG is refused before sending, naming the cause and the fix', async () => {
    const run = await generate(api, { prompt: 'A clear sticker', model: 'gpt-image-1', size: '1024x1024', outputFormat: 'jpeg' });
    assert.equal(run.outcome, undefined);
    assert.match(run.errors.join('\n'), /transparent needs an image format with transparency, and jpeg has none; choose png or webp/);
    assert.deepEqual(sandbox.requests, [], 'nothing sent');
  });

  it('compression is left out with PNG, and logged', async () => {
    const png = await sent('gpt-image-2', '1024x1024', { outputFormat: 'png' });
    assert.deepEqual([png.output_format, png.output_compression, png.background], ['png', undefined, 'transparent']);
    assert.match(api.services.log.recent.join('\n'), /outputCompression=80 \(png takes no compression; jpeg and webp do\)/);
  });

  it("a command's own arguments a model does not take are left out too, never sent to fail", async () => {
    const dalle = await sent('dall-e-3', '1024x1024', { background: 'opaque', moderation: 'low', outputCompression: 10 });
    assert.deepEqual(Object.keys(dalle).sort(), ['model', 'n', 'prompt', 'size', 'user']);
    const two = await sent('gpt-image-2', '1024x1024', { background: 'opaque', outputFormat: 'jpeg', outputCompression: 10 });
    assert.deepEqual([two.background, two.output_format, two.output_compression], ['opaque', 'jpeg', 10]);
  });

  it('an async task never streams, nor sends the options its endpoint does not document', async () => {
    await setSetting('mode', 'async');
    sandbox.reset();
    const run = await atFastTime(api, () =>
      generate(api, { prompt: 'A slow otter', model: 'gpt-image-2', size: '1024x1024', folder: 'images' }),
    );
    assert.equal(run.outcome?.files.length, 1, run.errors.join('\n'));
    const task = posts(sandbox)[0];
    assert.equal(task?.path, '/v1/images/tasks');
    assert.deepEqual([body(task).stream, body(task).partial_images, body(task).background], [undefined, undefined, undefined]);
    assert.match(api.services.log.recent.join('\n'), /background=transparent \(a polled task takes no background\)/);
  });

  it('the chat tool never asks for previews; its background reaches the gateway', async () => {
    sandbox.reset();
    await setSetting('model', 'gpt-image-1');
    const result = await vscode.lm.invokeTool(
      IMAGE_TOOL_NAME,
      { input: { prompt: 'A paper boat sticker', size: '1024x1024', background: 'opaque' }, toolInvocationToken: undefined },
      new vscode.CancellationTokenSource().token,
    );
    const said = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(said, /^Generated 1 image/);
    const sentBody = body(posts(sandbox)[0]);
    assert.deepEqual(
      [sentBody.stream, sentBody.partial_images, sentBody.background, sentBody.user],
      [undefined, undefined, 'opaque', 'user-42'],
    );
  });

  describe('the Explorer edit', () => {
    /** Runs Edit Image with Prompt… on one file, answering its prompt box with Enter. */
    async function editWith(model: string): Promise<Record<string, string>> {
      await setSetting('model', model);
      const uri = vscode.Uri.joinPath(workspaceRoot(), FOLDER, `${model}.png`);
      await vscode.workspace.fs.writeFile(
        uri,
        await renderImage({ prompt: model, width: 1024, height: 1024, format: 'png', model: 'source', index: 0, total: 1 }),
      );
      sandbox.reset();
      const running = runEditCommand(api, 'Make it dusk', uri);
      assert.ok(await running, `${model}: the edit saved its result`);
      const edits = posts(sandbox).filter((r) => r.path.startsWith('/v1/images/edits'));
      assert.equal(edits.length, 1);
      return (edits[0]!.json as EditSummary).fields;
    }

    it('sends input_fidelity to gpt-image-1.5, never to gpt-image-2; stream and partial images as form fields; no moderation', async () => {
      const one = await editWith('gpt-image-1.5');
      assert.deepEqual(
        [one.input_fidelity, one.stream, one.partial_images, one.background, one.output_compression, one.user, one.moderation],
        ['high', 'true', '2', 'transparent', '80', 'user-42', undefined],
      );
      const two = await editWith('gpt-image-2');
      assert.deepEqual([two.input_fidelity, two.stream, two.partial_images, two.moderation], [undefined, 'true', '2', undefined]);
      assert.match(api.services.log.recent.join('\n'), /inputFidelity=high \(gpt-image-2 takes no input fidelity\)/);
    });
  });
});
