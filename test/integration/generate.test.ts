import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { sniffImage } from '../../src/core/images';
import type { Sandbox } from '../../tools/sandbox/server';
import {
  clearImages,
  config,
  connectedSandbox,
  extensionApi,
  listImages,
  markdownEditor,
  resetSettings,
  sleep,
  workspaceRoot,
} from './helpers';

const SETTINGS = ['baseUrl', 'askForSize', 'size', 'n', 'insert', 'outputFolder', 'model', 'outputFormat'];

describe('Generate Image (command, real extension host, sandbox gateway)', () => {
  let api: TestApi;
  let sandbox: Sandbox;

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
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('turns the selected Markdown line into a saved image linked below it', async () => {
    const editor = await markdownEditor('notes.md', '# Notes\n\nA lighthouse on a cliff at dawn\n\nMore text.\n', 2);
    const outcome = (await vscode.commands.executeCommand('gptImage.generate')) as { files: string[] } | undefined;
    assert.ok(outcome, 'the command reports the files it saved');
    assert.equal(outcome.files.length, 1);
    const files = await listImages();
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^a-lighthouse-on-a-cliff-at-dawn-\d{8}-\d{6}\.png$/);

    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceRoot(), 'images', files[0]!));
    const info = sniffImage(Buffer.from(bytes));
    assert.deepEqual(info, { format: 'png', width: 1024, height: 768 });
    const served = sandbox.requests.filter((r) => r.path.startsWith('/v1/images/generations'));
    assert.equal(served.length, 1, 'exactly one request reached the gateway');
    assert.equal(served[0]!.headers.authorization, `Bearer ${sandbox.key}`);

    assert.equal(
      editor.document.getText(),
      `# Notes\n\nA lighthouse on a cliff at dawn\n\n![A lighthouse on a cliff at dawn](images/${files[0]})\n\nMore text.\n`,
    );
  });

  it('one Undo removes both the link and the file', async () => {
    const before = '# Undo\n\nA small red kite\n';
    const editor = await markdownEditor('undo.md', before, 2);
    await vscode.commands.executeCommand('gptImage.generate');
    assert.equal((await listImages()).length, 1);
    assert.notEqual(editor.document.getText(), before);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    // Undoing a file creation may ask for confirmation in the workbench; give the edit a moment.
    for (let i = 0; i < 20 && (await listImages()).length > 0; i++) await sleep(100);
    assert.equal(editor.document.getText(), before);
    assert.deepEqual(await listImages(), []);
  });

  it('saves n images and links each in order', async () => {
    const editor = await markdownEditor('many.md', 'Three paper cranes\n', 0);
    const outcome = await api.generate({ n: 3 });
    assert.equal(outcome?.files.length, 3);
    const files = await listImages();
    assert.equal(files.length, 3);
    const links = editor.document.getText().match(/!\[[^\]]*\]\(images\/[^)]+\)/g) ?? [];
    assert.equal(links.length, 3);
    assert.deepEqual(
      links.map((l) => /-(\d)\.png\)$/.exec(l)?.[1]),
      ['1', '2', '3'],
      `linked in order: ${links.join(' ')}`,
    );
  });

  it('at the start of the line under a paragraph, the image gets its own paragraph', async () => {
    const editor = await markdownEditor('paragraph.md', 'An intro paragraph.\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await api.generate({ prompt: 'A paper kite' });
    const [file] = await listImages();
    assert.equal(editor.document.getText(), `An intro paragraph.\n\n![A paper kite](images/${file})`);
  });

  it('links in HTML with width and height', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'page.html');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('<p>A blue bicycle</p>\n'));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    editor.selection = new vscode.Selection(0, 3, 0, 17);
    await vscode.commands.executeCommand('gptImage.generate');
    const [file] = await listImages();
    assert.match(editor.document.getText(), new RegExp(`<img src="images/${file}" alt="A blue bicycle" width="1024" height="768" />`));
  });

  it('follows markdown.copyFiles.destination for Markdown files, as image paste does', async () => {
    const md = vscode.workspace.getConfiguration('markdown');
    await md.update('copyFiles.destination', { '**/guides/*.md': 'assets/${documentBaseName}/' }, vscode.ConfigurationTarget.Global);
    try {
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(workspaceRoot(), 'guides'));
      const editor = await markdownEditor('guides/setup.md', 'A tidy desk with a laptop\n', 0);
      await vscode.commands.executeCommand('gptImage.generate');
      const saved = await listImages('guides/assets/setup');
      assert.equal(saved.length, 1, 'saved where the pattern says');
      assert.deepEqual(await listImages(), [], 'not in the default folder');
      assert.match(editor.document.getText(), new RegExp(`\\]\\(assets/setup/${saved[0]!.replace(/\./g, '\\.')}\\)`));
    } finally {
      await md.update('copyFiles.destination', undefined, vscode.ConfigurationTarget.Global);
      await clearImages('guides');
    }
  });

  it('cancel while waiting for the server leaves no file and no edit', async () => {
    sandbox.enqueue({ type: 'delay', ms: 10_000 });
    const text = 'Cancel me\n';
    const editor = await markdownEditor('cancel.md', text, 0);
    const controller = new AbortController();
    const started = Date.now();
    const running = api.generate({}, { signal: controller.signal });
    await sleep(400);
    controller.abort();
    assert.equal(await running, undefined);
    assert.ok(Date.now() - started < 5_000, 'cancel ends the request at once');
    assert.deepEqual(await listImages(), []);
    assert.equal(editor.document.getText(), text);
    const [last] = await api.services.history.all();
    assert.equal(last?.status, 'cancelled');
  });

  it('a 401 leaves no file, no edit, and a message that names the key', async () => {
    sandbox.enqueue({ type: 'status', status: 401 });
    const text = 'Unauthorised otter\n';
    const editor = await markdownEditor('denied.md', text, 0);
    assert.equal(await vscode.commands.executeCommand('gptImage.generate'), undefined);
    assert.deepEqual(await listImages(), []);
    assert.equal(editor.document.getText(), text);
    const [last] = await api.services.history.all();
    assert.equal(last?.status, 'failed');
    assert.match(last?.error ?? '', /key/i);
    assert.ok(
      api.services.log.recent.some((l) => /status=401/.test(l)),
      'the log has the status',
    );
  });

  it('keeps the key in secret storage only: not in settings, log, history or workspace files', async () => {
    await markdownEditor('secret.md', 'A quiet harbour\n', 0);
    await vscode.commands.executeCommand('gptImage.generate');
    const key = sandbox.key;
    assert.equal(await api.services.keys.get(new URL(sandbox.baseUrl).origin), key);
    for (const line of api.services.log.recent) assert.ok(!line.includes(key), `log line leaks the key: ${line}`);
    const history = JSON.stringify(await api.services.history.all());
    assert.ok(!history.includes(key), 'history holds no key');
    const inspected = JSON.stringify(['baseUrl', 'model', 'size'].map((k) => config().inspect(k)));
    assert.ok(!inspected.includes(key), 'no setting holds the key');
    const found = await vscode.workspace.findFiles('**/*');
    for (const uri of found) {
      const content = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('latin1');
      assert.ok(!content.includes(key), `${uri.path} holds the key`);
    }
  });

  it('refuses an output folder outside the workspace without writing anything', async () => {
    await config().update('outputFolder', '../outside', vscode.ConfigurationTarget.Global);
    try {
      await markdownEditor('outside.md', 'Escape attempt\n', 0);
      const before = sandbox.requests.length;
      assert.equal(await vscode.commands.executeCommand('gptImage.generate'), undefined);
      assert.deepEqual(await listImages('../outside'), []);
      assert.equal(sandbox.requests.length, before, 'refused before anything was sent');
    } finally {
      await config().update('outputFolder', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
