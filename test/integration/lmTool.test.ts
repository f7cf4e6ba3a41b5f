import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ImageTool, IMAGE_TOOL_NAME, type ImageToolInput } from '../../src/chat/imageTool';
import { DEFAULTS, getModel, MODELS } from '../../src/core/catalog';
import { sniffImage } from '../../src/core/images';
import type { TestApi } from '../../src/extension';
import type { Sandbox } from '../../tools/sandbox/server';
import { clearImages, config, connectedSandbox, extensionApi, listImages, resetSettings, sleep, workspaceRoot } from './helpers';

const SETTINGS = ['baseUrl', 'askForSize', 'size', 'n', 'model', 'outputFolder'];

/**
 * Without a chat request's toolInvocationToken, VS Code asks for confirmation with a modal dialog,
 * which the workbench answers "yes" by itself in an extension test host. So invokeTool runs the
 * whole path, and the confirmation's content is checked on prepareInvocation directly.
 */
function invoke(
  input: Partial<ImageToolInput> | Record<string, unknown>,
  token?: vscode.CancellationToken,
): Thenable<vscode.LanguageModelToolResult> {
  return vscode.lm.invokeTool(IMAGE_TOOL_NAME, { input, toolInvocationToken: undefined }, token);
}

function text(result: vscode.LanguageModelToolResult): string {
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

function generations(sandbox: Sandbox) {
  return sandbox.requests.filter((r) => r.path.startsWith('/v1/images/generations'));
}

describe('Generate image language model tool (lm.invokeTool, sandbox gateway)', () => {
  let api: TestApi;
  let sandbox: Sandbox;
  const none = new vscode.CancellationTokenSource().token;

  before(async () => {
    api = await extensionApi();
    sandbox = await connectedSandbox(api);
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(SETTINGS);
  });
  beforeEach(async () => {
    sandbox.reset();
    await clearImages();
  });

  it('is listed in vscode.lm.tools with its input schema', () => {
    const tool = vscode.lm.tools.find((t) => t.name === IMAGE_TOOL_NAME);
    assert.ok(tool, `${IMAGE_TOOL_NAME} is registered`);
    assert.match(tool.description, /workspace/);
    assert.ok(tool.tags.includes('image'));
    const schema = tool.inputSchema as { required: string[]; properties: Record<string, { enum?: string[] }> };
    assert.deepEqual(schema.required, ['prompt']);
    // Every size a catalog model takes: the default model's table first, then the others', then auto.
    const sizes = new Set(MODELS.flatMap((m) => m.sizes.map((s) => s.size)));
    assert.deepEqual(new Set(schema.properties.size?.enum), new Set([...sizes, 'auto']), 'the size enum follows the catalog');
    assert.deepEqual(
      schema.properties.size?.enum?.slice(0, 3),
      getModel(DEFAULTS.model)
        .sizes.slice(0, 3)
        .map((s) => s.size),
    );
    for (const key of ['prompt', 'quality', 'n', 'outputFormat', 'fileName', 'folder']) assert.ok(schema.properties[key], key);
  });

  it('asks for confirmation naming the size, count and estimated cost', async () => {
    const tool = new ImageTool(api.services);
    const prepared = await tool.prepareInvocation({ input: { prompt: 'A paper boat', size: '1536x1024', n: 2 } });
    assert.equal(prepared.confirmationMessages?.title, 'Generate 2 images?');
    const message = (prepared.confirmationMessages.message as vscode.MarkdownString).value.replace(/\\(.)/g, '$1');
    assert.match(message, /1536x1024 \(3:2, landscape, 1K\)/);
    assert.match(message, /\*\*Images:\*\* 2/);
    assert.match(message, /\$0\.0367/, '2 × the 1K price');

    await config().update('model', 'gpt-image-1', vscode.ConfigurationTarget.Global);
    try {
      const unpriced = await tool.prepareInvocation({ input: { prompt: 'A paper boat', size: 'auto' } });
      assert.match((unpriced.confirmationMessages?.message as vscode.MarkdownString).value, /Estimated cost:\*\* unknown/);
    } finally {
      await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    }
    const invalid = await tool.prepareInvocation({ input: { prompt: 'A paper boat', size: '1000x1000' } });
    assert.equal(invalid.confirmationMessages, undefined, 'nothing to confirm for input that will be refused');
  });

  it('saves the image and returns its workspace path, pixel size and Markdown link', async () => {
    const result = await invoke({ prompt: 'A red fox in fresh snow', size: '1536x1024', fileName: 'fox' }, none);
    const out = text(result);
    assert.deepEqual(await listImages(), ['fox.png']);
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceRoot(), 'images', 'fox.png'));
    assert.deepEqual(sniffImage(bytes), { format: 'png', width: 1536, height: 1024 });
    assert.match(out, /- images\/fox\.png \(1536x1024 png\)/);
    assert.ok(out.includes('Markdown: ![A red fox in fresh snow](images/fox.png)'), out);
    const served = generations(sandbox);
    assert.equal(served.length, 1);
    assert.deepEqual(served[0]!.json, {
      model: DEFAULTS.model,
      prompt: 'A red fox in fresh snow',
      size: '1536x1024',
      quality: 'medium',
      output_format: 'png',
      n: 1,
    });
  });

  it('explains what is allowed for an invalid size or folder, and sends and writes nothing', async () => {
    const badSize = text(await invoke({ prompt: 'A lighthouse', size: '1000x1000' }, none));
    assert.match(badSize, /size: 1000x1000 is not available for gpt-image-2-origin/);
    assert.match(badSize, /landscape sizes: 1024x768 \(4:3, 1K\)/);
    assert.match(badSize, /n: 1 to 8/);
    const badN = text(await invoke({ prompt: 'A lighthouse', size: '1024x1024', n: 20 }, none));
    assert.match(badN, /at most 8 images per request/);
    const badFolder = text(await invoke({ prompt: 'A lighthouse', size: '1024x1024', folder: '../outside' }, none));
    assert.match(badFolder, /folder \("\.\.\/outside"\) leads outside the workspace folder/);
    assert.equal(generations(sandbox).length, 0, 'no request reached the gateway');
    assert.deepEqual(await listImages(), []);
    assert.deepEqual(await listImages('../outside'), []);
  });

  it('returns a gateway failure as text for the model, with nothing written', async () => {
    sandbox.enqueue({ type: 'status', status: 401 });
    const out = text(await invoke({ prompt: 'Unauthorised otter', size: '1024x1024' }, none));
    assert.match(out, /^No image was generated and nothing was saved: .*key/);
    assert.deepEqual(await listImages(), []);
  });

  it('stops when its token is cancelled, with nothing written', async () => {
    sandbox.enqueue({ type: 'delay', ms: 10_000 });
    const source = new vscode.CancellationTokenSource();
    const started = Date.now();
    const running = invoke({ prompt: 'Cancel me', size: '1024x1024' }, source.token);
    for (let i = 0; i < 50 && generations(sandbox).length === 0; i++) await sleep(100);
    assert.equal(generations(sandbox).length, 1, 'the request reached the gateway');
    await sleep(300);
    source.cancel();
    await assert.rejects(Promise.resolve(running), (err: Error) => /cancel/i.test(err.name + err.message));
    // The host answers the cancel at once; the flow records it when its request has been aborted.
    let last = (await api.services.history.all())[0];
    for (let i = 0; i < 50 && last?.prompt !== 'Cancel me'; i++) {
      await sleep(100);
      last = (await api.services.history.all())[0];
    }
    assert.equal(last?.status, 'cancelled');
    assert.ok(Date.now() - started < 6_000, 'cancel ends the request at once');
    assert.deepEqual(await listImages(), []);
  });
});
