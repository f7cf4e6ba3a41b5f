import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { sniffImage } from '../../src/core/images';
import type { EditSummary } from '../../tools/sandbox/edits';
import { renderImage } from '../../tools/sandbox/render';
import type { Sandbox } from '../../tools/sandbox/server';
import { connectedSandbox, extensionApi, resetSettings, runEditCommand, sleep, workspaceRoot } from './helpers';

const SETTINGS = ['baseUrl', 'askForSize', 'size', 'n', 'model'];
const FOLDER = 'edit-sources';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function writeSource(name: string, width: number, height: number, format: 'png' | 'jpeg' | 'webp' = 'png'): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), FOLDER, name);
  const bytes = await renderImage({ prompt: name, width, height, format, model: 'source', index: 0, total: 1 });
  await vscode.workspace.fs.writeFile(uri, bytes);
  return uri;
}

async function folderNames(): Promise<string[]> {
  const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(workspaceRoot(), FOLDER));
  return entries.map(([n]) => n).sort();
}

describe('Edit Image with Prompt (Explorer command, real extension host, sandbox gateway)', () => {
  let api: TestApi;
  let sandbox: Sandbox;

  const edit = (prompt: string, ...uris: vscode.Uri[]) => runEditCommand(api, prompt, ...uris);

  const edits = () => sandbox.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/images/edits'));

  before(async () => {
    api = await extensionApi();
    sandbox = await connectedSandbox(api, { askForSize: true });
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(SETTINGS);
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), FOLDER), { recursive: true, useTrash: false });
  });
  beforeEach(async () => {
    sandbox.reset();
    await vscode.workspace.fs
      .delete(vscode.Uri.joinPath(workspaceRoot(), FOLDER), { recursive: true, useTrash: false })
      .then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('sends the image as multipart, saves the result next to it under a new name and opens it', async () => {
    const source = await writeSource('harbor.png', 1536, 1024);
    const original = await vscode.workspace.fs.readFile(source);
    const outcome = await edit('Make it a night scene', source);
    assert.ok(outcome, 'the command reports what it saved');
    assert.deepEqual(await folderNames(), ['harbor-edited.png', 'harbor.png']);
    assert.deepEqual(await vscode.workspace.fs.readFile(source), original, 'the source is untouched');

    const saved = await vscode.workspace.fs.readFile(vscode.Uri.parse(outcome.files[0]!));
    assert.deepEqual(sniffImage(saved), { format: 'png', width: 1536, height: 1024 }, 'the source size was the default pick');
    const sent = edits();
    assert.equal(sent.length, 1, 'one edit request');
    assert.equal(sent[0]!.headers.authorization, `Bearer ${sandbox.key}`);
    assert.match(String(sent[0]!.headers['content-type']), /^multipart\/form-data; boundary=/);
    const summary = sent[0]!.json as EditSummary;
    assert.equal(summary.fields.prompt, 'Make it a night scene');
    assert.equal(summary.fields.model, 'gpt-image-2-origin');
    assert.equal(summary.fields.size, '1536x1024');
    assert.equal(summary.files.length, 1);
    const { field, filename, contentType, bytes, sha256: hash, format, width, height } = summary.files[0]!;
    assert.deepEqual(
      { field, filename, contentType, bytes, sha256: hash, format, width, height },
      {
        field: 'image',
        filename: 'harbor.png',
        contentType: 'image/png',
        bytes: original.byteLength,
        sha256: sha256(original),
        format: 'png',
        width: 1536,
        height: 1024,
      },
      'the image bytes arrived intact',
    );
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined;
    assert.equal(tab?.uri?.toString(), outcome.files[0], 'the result is open');

    // A second edit never overwrites the first result.
    const again = await edit('Make it a night scene', source);
    assert.ok(again);
    assert.deepEqual(await folderNames(), ['harbor-edited-1.png', 'harbor-edited.png', 'harbor.png']);
  });

  it('sends several selected images as image[] reference images, in order', async () => {
    const a = await writeSource('cat.png', 1024, 1024);
    const b = await writeSource('hat.jpg', 800, 600, 'jpeg');
    const outcome = await edit('The cat wearing the hat', a, b);
    assert.ok(outcome);
    const summary = edits()[0]!.json as EditSummary;
    assert.deepEqual(
      summary.files.map((f) => [f.field, f.filename, f.contentType, f.format]),
      [
        ['image[]', 'cat.png', 'image/png', 'png'],
        ['image[]', 'hat.jpg', 'image/jpeg', 'jpeg'],
      ],
    );
    assert.equal(summary.files[1]!.sha256, sha256(await vscode.workspace.fs.readFile(b)));
    assert.ok((await folderNames()).includes('cat-edited.png'), 'saved next to the first image');
  });

  it('without arguments edits the image open in the active tab', async () => {
    const source = await writeSource('tab.webp', 1024, 1024, 'webp');
    const bytes = await vscode.workspace.fs.readFile(source);
    await vscode.commands.executeCommand('vscode.open', source);
    // The image preview is a custom editor: under load its tab becomes active a moment after open returns.
    const activeUri = () => (vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined)?.uri;
    for (let i = 0; i < 100 && activeUri()?.toString() !== source.toString(); i++) await sleep(50);
    assert.equal(activeUri()?.toString(), source.toString(), 'the image tab is active');
    const outcome = await edit('Add a rainbow');
    assert.ok(outcome, `the open image was edited; the log ends:\n${api.services.log.recent.slice(-6).join('\n')}`);
    const summary = edits()[0]!.json as EditSummary;
    assert.deepEqual(
      summary.files.map((f) => [f.field, f.filename, f.format, f.sha256]),
      [['image', 'tab.webp', 'webp', sha256(bytes)]],
    );
    assert.ok((await folderNames()).includes('tab-edited.png'));
  });

  it('refuses, before sending anything, too many images for the model and files that are not images', async () => {
    await vscode.workspace.getConfiguration('gptImage').update('model', 'dall-e-2', vscode.ConfigurationTarget.Global);
    try {
      const a = await writeSource('one.png', 512, 512);
      const b = await writeSource('two.png', 512, 512);
      assert.equal(await edit('x', a, b), undefined);
      assert.ok(
        api.services.log.recent.some((l) => l.includes('2 images are selected; dall-e-2 takes at most 1')),
        'the message names the count and the limit',
      );
    } finally {
      await vscode.workspace.getConfiguration('gptImage').update('model', undefined, vscode.ConfigurationTarget.Global);
    }
    const fake = vscode.Uri.joinPath(workspaceRoot(), FOLDER, 'notes.png');
    await vscode.workspace.fs.writeFile(fake, new TextEncoder().encode('just text, not an image'));
    assert.equal(await edit('x', fake), undefined);
    assert.ok(api.services.log.recent.some((l) => l.includes('notes.png is not a PNG, JPEG or WebP image')));
    assert.equal(edits().length, 0, 'nothing reached the gateway');
    assert.deepEqual(await folderNames(), ['notes.png', 'one.png', 'two.png'], 'nothing was written');
  });
});
