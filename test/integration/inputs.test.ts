import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Sandbox } from '../../tools/sandbox/server';
import { listImages, workspaceRoot } from './helpers';
import { filesOnDisk, generate, reliabilitySuite, Scene, setSetting } from './reliability';
import { tried } from './tally';

/** `![alt](images/name)` on one line, with nothing in the alt text that could end it early. */
const MARKDOWN_IMAGE = /^!\[((?:[^\\[\]\n]|\\.)*)\]\((images\/[a-z0-9-]+\.png)\)$/;
const SAFE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*\.png$/;

describe('Reliability: bad input from the user and the workspace', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sandbox: Sandbox;

  reliabilitySuite((a, sb) => ((api = a), (sandbox = sb)), { eachTest: true });

  /** Refused before anything is sent: a message, no request, no history, nothing written. */
  async function refused(name: string, args: Record<string, unknown>, message: RegExp): Promise<void> {
    tried('badInputs', name);
    const scene = await Scene.open(api, sandbox, 'input.md');
    await scene.failed(await generate(api, args), { message, refused: true });
    assert.equal(sandbox.requests.length, 0, 'nothing reached the gateway');
  }

  describe('prompts', () => {
    const long = 'x'.repeat(32_001);
    it('empty', () => refused('empty prompt', { prompt: '' }, /prompt: describe the image in text/));
    it('whitespace only', () => refused('whitespace prompt', { prompt: ' \n\t  ' }, /prompt: describe the image in text/));
    it("one character over the model's limit", () =>
      refused('prompt over the limit', { prompt: long }, /32001 characters; gpt-image-2 takes at most 32000/));
    it("one over DALL·E 2's shorter limit", () =>
      refused(
        'prompt over the dall-e-2 limit',
        { prompt: 'y'.repeat(1001), model: 'dall-e-2', size: '256x256' },
        /1001 characters; dall-e-2 takes at most 1000/,
      ));

    const awkward: [string, string][] = [
      ['newlines', 'A lighthouse\non a cliff\r\nat dawn'],
      ['quotes', `A "quoted" and 'single' sign`],
      ['backticks', 'A `code` span and ``` fence'],
      ['brackets and parentheses', 'A map] of (the) [coast](http://x) ]]'],
      ['an HTML script tag', '<script>alert(1)</script> over a <b>town</b>'],
      ['emoji only', '🦊🌲🔥'],
      ['right-to-left text and bidi controls', 'مرحبا بالعالم \u202Eevil\u202C עולם'],
      ['a backslash at the end', 'A path C:\\images\\'],
      ['10,000 characters', `A very long description ${'of a quiet mountain lake '.repeat(400)}`.slice(0, 10_000)],
    ];
    for (const [name, prompt] of awkward) {
      it(`with ${name}: a short safe file name and a valid Markdown link`, async () => {
        tried('badInputs', `prompt with ${name}`);
        const scene = await Scene.open(api, sandbox, 'awkward.md', 'Heading\n');
        const [uri] = await scene.succeeded(await generate(api, { prompt }), 1);
        const file = path.posix.basename(vscode.Uri.parse(uri!).path);
        assert.match(file, SAFE_NAME);
        assert.ok(file.length <= 72, `${file} is short`);
        const lines = scene.editor!.document.getText().split('\n');
        assert.deepEqual(lines.slice(0, 2), ['Heading', ''], 'the link has a paragraph of its own');
        const link = lines[2]!;
        const m = MARKDOWN_IMAGE.exec(link);
        assert.ok(m, `a valid Markdown image: ${link}`);
        assert.equal(m[2], `images/${file}`);
        assert.ok(!/[<>`\u202a-\u202e]/.test(m[1]!), `no raw <, >, backtick or bidi control in the alt text: ${m[1]}`);
        assert.ok([...m[1]!].length <= 101, 'the alt text is short');
        const sent = sandbox.requests.find((r) => r.path.startsWith('/v1/images/generations'))!.json as { prompt: string };
        assert.equal(sent.prompt, prompt, 'the prompt is sent as typed');
      });
    }
  });

  describe('sizes and counts', () => {
    it('a size not in the model table', () =>
      refused(
        'size not in the table',
        { model: 'gpt-image-2-origin', size: '1000x1000' },
        /size: 1000x1000 is not available for gpt-image-2-origin/,
      ));
    it('a custom size that breaks the rule', () =>
      refused('custom size not a multiple of 16', { size: '100x100' }, /size: 100x100 is not available for gpt-image-2/));
    it('auto for a model without it', () =>
      refused('size auto for dall-e-3', { model: 'dall-e-3', size: 'auto' }, /size: auto is not available for dall-e-3/));
    it('junk for a size', () => refused('size junk', { size: 'big' }, /size: big is not available/));
    it('n = 0', () => refused('n = 0', { n: 0 }, /n: must be a whole number from 1 to 8/));
    it('n = -1', () => refused('n = -1', { n: -1 }, /n: must be a whole number from 1 to 8/));
    it('n over the max', () => refused('n over the max', { n: 9 }, /n: gpt-image-2 makes at most 8 images per request/));
    it('n over the max for gpt-image-2-origin', () =>
      refused('n = 9 for origin', { n: 9, model: 'gpt-image-2-origin', size: '1024x768' }, /makes at most 8 images/));
    it('n not a whole number', () => refused('n = 1.5', { n: 1.5 }, /invalid arguments/));
    it('an unknown argument', () => refused('unknown argument', { apiKey: 'x' }, /invalid arguments.*apiKey|Unrecognized key/));
  });

  describe('base URL', () => {
    let good: string;
    before(() => (good = sandbox.baseUrl));
    afterEach(() => setSetting('baseUrl', good));
    const bad: [string, string, RegExp][] = [
      ['not a URL', 'not a url', /is not a full URL/],
      ['a host without scheme', '127.0.0.1:8080/v1', /Add the scheme/],
      ['ftp:', 'ftp://127.0.0.1/v1', /ftp: URLs are not supported/],
      ['plain http to a non-loopback host', 'http://example.com/v1', /Plain http would send the API key unencrypted to example.com/],
      ['credentials in the URL', 'https://user:pass@example.com/v1', /Remove the user name and password/],
      ['a query string', 'https://example.com/v1?key=1', /Remove the query/],
      ['empty', '', /no gateway is set/],
    ];
    for (const [name, url, message] of bad) {
      it(name, async () => {
        await setSetting('baseUrl', url);
        await refused(`base URL: ${name}`, {}, message);
      });
    }

    it('through the command, the error notification does not hold the command forever', async () => {
      tried('badInputs', 'base URL not a URL, via the command');
      await setSetting('baseUrl', 'ftp://127.0.0.1/v1');
      const scene = await Scene.open(api, sandbox, 'input.md');
      let settled = false;
      const running = Promise.resolve(vscode.commands.executeCommand('gptImage.generate')).finally(() => (settled = true));
      // The notification is dismissed as a person would, whenever it shows (asking for a chat model first takes a moment).
      for (let i = 0; i < 50 && !settled; i++) {
        await new Promise((r) => setTimeout(r, 200));
        await vscode.commands.executeCommand('notifications.clearAll');
      }
      assert.equal(await running, undefined);
      scene.checkNothingWritten();
      assert.equal(sandbox.requests.length, 0);
    });
  });

  describe('output folders', () => {
    const outside = () => path.join(path.dirname(workspaceRoot().fsPath), 'outside');
    afterEach(async () => {
      await setSetting('outputFolder', undefined);
      fs.rmSync(outside(), { recursive: true, force: true });
      fs.rmSync(path.join(workspaceRoot().fsPath, 'escape'), { force: true });
      fs.rmSync(path.join(workspaceRoot().fsPath, 'taken'), { force: true });
    });

    it('../outside', async () => {
      await setSetting('outputFolder', '../outside');
      await refused('output folder ../outside', {}, /leads outside the workspace folder/);
    });
    it('an absolute path elsewhere', async () => {
      await setSetting('outputFolder', outside());
      await refused('output folder absolute', {}, /is an absolute path/);
    });
    it('a folder argument that climbs out', () =>
      refused('folder argument a/../../x', { folder: 'a/../../outside' }, /leads outside the workspace folder/));
    it('a path through a symbolic link that leaves the workspace', async () => {
      fs.mkdirSync(outside(), { recursive: true });
      fs.symlinkSync(outside(), path.join(workspaceRoot().fsPath, 'escape'));
      await setSetting('outputFolder', 'escape/images');
      await refused('output folder through a symlink', {}, /leads outside the workspace folder through a symbolic link/);
      assert.deepEqual(fs.readdirSync(outside()), [], 'nothing written outside');
    });
    it('a name that is an existing file', async () => {
      fs.writeFileSync(path.join(workspaceRoot().fsPath, 'taken'), 'not a folder');
      await setSetting('outputFolder', 'taken');
      await refused('output folder is a file', {}, /names a file \(taken\), not a folder/);
      assert.equal(fs.readFileSync(path.join(workspaceRoot().fsPath, 'taken'), 'utf8'), 'not a folder');
    });
  });

  describe('documents', () => {
    it('a read-only document: refused before the request, nothing written', async () => {
      tried('badInputs', 'read-only document');
      const provider = readOnlyProvider('# Read only\n\nA locked vault\n');
      const registration = vscode.workspace.registerFileSystemProvider('gpt-image-ro', provider, { isReadonly: true });
      try {
        const before = filesOnDisk();
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse('gpt-image-ro:/locked.md'));
        const editor = await vscode.window.showTextDocument(doc);
        editor.selection = new vscode.Selection(2, 0, 2, 14);
        const run = await generate(api);
        assert.equal(run.outcome, undefined);
        assert.match(run.errors[0] ?? '', /this document is read-only/);
        assert.equal(doc.getText(), '# Read only\n\nA locked vault\n');
        assert.deepEqual(filesOnDisk(), before);
        assert.equal(sandbox.requests.length, 0);
      } finally {
        registration.dispose();
      }
    });

    it('an untitled document gets its link', async () => {
      tried('badInputs', 'untitled document');
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'An untitled idea\n' });
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(0, 0, 0, 16);
      const run = await generate(api);
      assert.deepEqual(run.errors, []);
      assert.equal(run.outcome?.files.length, 1);
      assert.match(doc.getText(), /^An untitled idea\n\n!\[An untitled idea\]\(images\/an-untitled-idea-[\d-]+\.png\)\n$/);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });
  });

  describe('two generations at once into the same folder', () => {
    it('same prompt, same second: distinct names, nothing overwritten', async () => {
      tried('badInputs', 'two generations at once, same prompt');
      const scene = await Scene.open(api, sandbox, '', '');
      const [a, b] = await Promise.all([generate(api, { prompt: 'Twin kites', n: 2 }), generate(api, { prompt: 'Twin kites', n: 2 })]);
      const files = [...a.outcome!.files, ...b.outcome!.files];
      assert.equal(new Set(files).size, 4, `four distinct files: ${files.join(', ')}`);
      assert.equal(scene.addedFiles().length, 4);
    });

    it('the same file name asked twice, beside an existing file: each gets its own name', async () => {
      tried('badInputs', 'two generations at once, same file name, existing file');
      const dir = vscode.Uri.joinPath(workspaceRoot(), 'images');
      const existing = new TextEncoder().encode('existing');
      await vscode.workspace.fs.createDirectory(dir);
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'same.png'), existing);
      const runs = await Promise.all([1, 2, 3].map(() => generate(api, { prompt: 'Same name', fileName: 'same' })));
      const names = runs.map((r) => path.posix.basename(r.outcome!.files[0]!)).sort();
      assert.deepEqual(names, ['same-1.png', 'same-2.png', 'same-3.png']);
      const kept = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'same.png'));
      assert.equal(new TextDecoder().decode(kept), 'existing', 'the existing file is untouched');
      assert.ok((await listImages()).includes('same.png'));
    });
  });
});

/** A one-file read-only file system, as a document from a read-only provider (a git revision, a zip) is. */
function readOnlyProvider(text: string): vscode.FileSystemProvider {
  const bytes = new TextEncoder().encode(text);
  const refuse = () => {
    throw vscode.FileSystemError.NoPermissions('read-only');
  };
  return {
    onDidChangeFile: new vscode.EventEmitter<vscode.FileChangeEvent[]>().event,
    watch: () => new vscode.Disposable(() => undefined),
    stat: () => ({ type: vscode.FileType.File, ctime: 0, mtime: 0, size: bytes.length }),
    readDirectory: () => [],
    createDirectory: refuse,
    readFile: () => bytes,
    writeFile: refuse,
    delete: refuse,
    rename: refuse,
  };
}
