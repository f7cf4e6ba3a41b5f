import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InfoOutcome } from '../../src/commands/showInfo';
import type { TestApi } from '../../src/extension';
import { readXmp } from '../../src/core/imageXmp';
import type { Recipe } from '../../src/core/recipe';
import { embedRecipe, readRecipe } from '../../src/core/xmpPacket';
import { renderImage } from '../../tools/sandbox/render';
import type { Sandbox } from '../../tools/sandbox/server';
import { clearImages, config, connectedSandbox, extensionApi, resetSettings, runEditCommand, sleep, workspaceRoot } from './helpers';

const SETTINGS = ['baseUrl', 'askForSize', 'size', 'n', 'model', 'previews', 'embedMetadata'];
const FOLDER = 'recipe-sources';

const FIXTURE: Recipe = {
  prompt: 'A harbour at night, lanterns on the water',
  model: 'gpt-image-1',
  size: '1024x1024',
  quality: 'high',
  outputFormat: 'png',
  n: 1,
  host: 'gateway.example',
  time: '2026-01-02T03:04:05.000Z',
  generator: { name: 'gpt-image-studio', version: '0.1.0' },
};

/** The image with the recipe embedded; fails the test when it cannot be. */
function withRecipe(bytes: Uint8Array, recipe: Recipe): Uint8Array {
  const embedded = embedRecipe(bytes, recipe);
  assert.ok(embedded.ok, 'embedded');
  return embedded.bytes;
}

describe('Images that carry their recipe (embedded XMP, Show Generation Info)', () => {
  let api: TestApi;
  let sandbox: Sandbox;
  const file = (uri: string) => vscode.workspace.fs.readFile(vscode.Uri.parse(uri));

  before(async () => {
    api = await extensionApi();
    sandbox = await connectedSandbox(api, { previews: 'off' });
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(SETTINGS);
    await clearImages();
    await clearImages(FOLDER);
  });
  beforeEach(async () => {
    sandbox.reset();
    await config().update('embedMetadata', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a generation saves a PNG whose recipe names the prompt, model, size and host, and no key anywhere', async () => {
    const outcome = await api.generate({ prompt: 'A lighthouse on a cliff at dawn', size: '1024x768' }, { useEditor: false });
    assert.ok(outcome);
    const bytes = await file(outcome.files[0]!);
    const recipe = readRecipe(bytes);
    assert.ok(recipe, 'the saved image carries a recipe');
    assert.equal(recipe.prompt, 'A lighthouse on a cliff at dawn');
    assert.equal(recipe.model, config().get('model'));
    assert.equal(recipe.size, '1024x768');
    assert.equal(recipe.host, new URL(sandbox.baseUrl).hostname);
    assert.equal(recipe.edit, undefined);
    assert.ok(!Buffer.from(bytes).toString('latin1').includes(sandbox.key), 'the key is nowhere in the file');
    assert.ok(!readXmp(bytes)!.includes(sandbox.baseUrl), 'nor the gateway address');
  });

  it('with gptImage.embedMetadata off, the gateway bytes are saved exactly', async () => {
    await config().update('embedMetadata', false, vscode.ConfigurationTarget.Global);
    const outcome = await api.generate({ prompt: 'A paper kite', size: '1024x768' }, { useEditor: false });
    assert.ok(outcome);
    const sent = sandbox.requests.find((r) => r.path.startsWith('/v1/images/generations'))!.json as Record<string, unknown>;
    const served = await renderImage({
      prompt: 'A paper kite',
      width: 1024,
      height: 768,
      format: 'png',
      model: String(sent.model),
      index: 0,
      total: 1,
      background: sent.background as 'auto' | undefined,
      compression: sent.output_compression as number | undefined,
    });
    assert.deepEqual(Buffer.from(await file(outcome.files[0]!)), served);
  });

  it("an edit's recipe names its source, relative to the workspace", async () => {
    const source = vscode.Uri.joinPath(workspaceRoot(), FOLDER, 'harbor.png');
    await vscode.workspace.fs.writeFile(
      source,
      await renderImage({ prompt: 'harbor', width: 1024, height: 1024, format: 'png', model: 'source', index: 0, total: 1 }),
    );
    const running = runEditCommand(api, 'Make it a night scene', source);
    const outcome = await running;
    assert.ok(outcome);
    const recipe = readRecipe(await file(outcome.files[0]!));
    assert.equal(recipe?.prompt, 'Make it a night scene');
    assert.deepEqual(recipe?.edit, { sources: [`${FOLDER}/harbor.png`], mask: false });
  });

  /** Runs Show Generation Info on a file, moving `down` items from the first and accepting it. */
  async function showInfo(uri: vscode.Uri, down: number): Promise<InfoOutcome | undefined> {
    const running = Promise.resolve(vscode.commands.executeCommand<InfoOutcome | undefined>('gptImage.showInfo', uri));
    await sleep(800);
    for (let i = 0; i < down; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    return running;
  }

  it('Show Generation Info reads a file it did not just make, and Copy recipe puts the JSON on the clipboard', async () => {
    const bytes = await renderImage({ prompt: 'fixture', width: 256, height: 256, format: 'png', model: 'x', index: 0, total: 1 });
    const uri = vscode.Uri.joinPath(workspaceRoot(), FOLDER, 'fixture.png');
    await vscode.workspace.fs.writeFile(uri, withRecipe(bytes, FIXTURE));
    await vscode.env.clipboard.writeText('');
    const outcome = await showInfo(uri, 2);
    assert.ok(outcome, 'the command reports what it showed');
    assert.ok(outcome.items.includes(`Prompt: ${FIXTURE.prompt}`), JSON.stringify(outcome.items));
    assert.ok(outcome.items.includes('Gateway: gateway.example'));
    assert.equal(outcome.chosen, 'copy');
    assert.deepEqual(JSON.parse(await vscode.env.clipboard.readText()), FIXTURE);
  });

  it("a file's recipe text is shown as one short line: control characters out, at most 500 characters", async () => {
    const bytes = await renderImage({ prompt: 'hostile', width: 64, height: 64, format: 'png', model: 'x', index: 0, total: 1 });
    const uri = vscode.Uri.joinPath(workspaceRoot(), FOLDER, 'hostile.png');
    const prompt = `line one\u0007\nline two ${'x'.repeat(5000)}`;
    await vscode.workspace.fs.writeFile(uri, withRecipe(bytes, { ...FIXTURE, prompt }));
    await vscode.env.clipboard.writeText('');
    const outcome = await showInfo(uri, 2);
    const shown = outcome?.items.find((i) => i.startsWith('Prompt: '))?.slice('Prompt: '.length) ?? '';
    assert.equal(shown.length, 500);
    assert.ok(shown.startsWith('line one  line two x'), shown.slice(0, 40));
    assert.deepEqual(JSON.parse(await vscode.env.clipboard.readText()).prompt, prompt, 'Copy recipe keeps it whole');
  });

  it('a file without a recipe gets a message, not a list', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), FOLDER, 'plain.png');
    await vscode.workspace.fs.writeFile(
      uri,
      await renderImage({ prompt: 'plain', width: 64, height: 64, format: 'png', model: 'x', index: 0, total: 1 }),
    );
    const outcome = await vscode.commands.executeCommand<InfoOutcome | undefined>('gptImage.showInfo', uri);
    assert.deepEqual(outcome, { items: [] });
  });

  it('a committed link to a device is refused before it is read, not read without end', async function () {
    if (process.platform === 'win32') this.skip();
    const link = path.join(workspaceRoot().fsPath, FOLDER, 'zero.png');
    fs.rmSync(link, { force: true });
    fs.symlinkSync('/dev/zero', link);
    try {
      const outcome = await vscode.commands.executeCommand<InfoOutcome | undefined>('gptImage.showInfo', vscode.Uri.file(link));
      assert.deepEqual(outcome, { items: [], problem: 'zero.png is not a regular file; pick image files.' });
    } finally {
      fs.rmSync(link, { force: true });
    }
  });
});
