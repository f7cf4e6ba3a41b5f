// Runs only in the runner's attacker passes: the workspace commits a symbolic link (docs/assets ->
// a folder beside the workspace) and `markdown.copyFiles.destination` rules that try to leave the
// workspace or choose a whole file name. Markdown rules apply whether or not the workspace is trusted.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Sandbox } from '../../tools/sandbox/server';
import { extensionApi, resetSettings, workspaceRoot } from './helpers';
import { filesOnDisk, generate, reliableSandbox, RELIABILITY_SETTINGS, Scene } from './reliability';
import { PASS, tried, writeFigures } from './tally';

const OUTSIDE = process.env.GPT_IMAGE_OUTSIDE;

describe('Reliability: attacker workspace: Markdown destinations', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sandbox: Sandbox;

  before(async function () {
    if (!OUTSIDE) return this.skip();
    api = await extensionApi();
    sandbox = await reliableSandbox(api);
  });
  beforeEach(() => sandbox?.reset());
  afterEach(function () {
    if (OUTSIDE) assert.deepEqual(fs.readdirSync(OUTSIDE), [], 'nothing was written beside the workspace');
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(RELIABILITY_SETTINGS);
    if (OUTSIDE) writeFigures({ trusted: vscode.workspace.isTrusted });
  });

  /** A rule that must be refused before the request: nothing sent, nothing written, the rule named. */
  async function refusedBeforeSending(doc: string, why: RegExp): Promise<void> {
    const scene = await Scene.open(api, sandbox, doc, 'A lighthouse at dusk\n');
    const run = await generate(api);
    await scene.failed(run, { message: why, refused: true });
    assert.match(run.errors[0]!, /markdown\.copyFiles\.destination/);
    assert.deepEqual(sandbox.requests, [], 'refused before anything was sent or spent');
  }

  it('a committed symbolic link cannot carry images out of the workspace', async () => {
    tried('badInputs', `${PASS}: Markdown rule into a committed symbolic link`);
    await refusedBeforeSending('docs/link.md', /leads outside the workspace folder through a symbolic link \(docs\/assets\)/);
  });

  it('backslashes climbing out are read as separators and refused', async () => {
    tried('badInputs', `${PASS}: Markdown rule ..\\..\\..\\Users\\Public\\evil.bat`);
    await refusedBeforeSending('docs/backslash.md', /leads outside the workspace folder/);
  });

  it('a drive letter is refused', async () => {
    tried('badInputs', `${PASS}: Markdown rule C:\\Users\\Public\\evil.bat`);
    await refusedBeforeSending('docs/drive.md', /starts with a drive letter/);
  });

  it('an edit of an image reached through the link is refused before any question', async () => {
    tried('badInputs', `${PASS}: edit an image inside a committed symbolic link`);
    const outsideImage = path.join(OUTSIDE!, 'photo.png');
    fs.copyFileSync(path.join(__dirname, '..', '..', '..', 'media', 'icon.png'), outsideImage);
    try {
      const before = filesOnDisk();
      const source = vscode.Uri.joinPath(workspaceRoot(), 'docs', 'assets', 'photo.png');
      const outcome = await vscode.commands.executeCommand('gptImage.editImage', source);
      assert.equal(outcome, undefined);
      assert.ok(
        api.services.log.recent.some((l) =>
          /the edited image's folder.*leads outside the workspace folder through a symbolic link/.test(l),
        ),
        api.services.log.recent.slice(-3).join('\n'),
      );
      assert.deepEqual(filesOnDisk(), before);
      assert.deepEqual(sandbox.requests, []);
    } finally {
      fs.rmSync(outsideImage);
    }
  });

  it('a rule may choose the base name, never the extension', async () => {
    tried('badInputs', `${PASS}: Markdown rule naming evil.desktop`);
    const scene = await Scene.open(api, sandbox, 'docs/named.md', 'A lighthouse at dusk\n');
    // Small and cheap whatever a trusted workspace asks for, so no cost question holds it up.
    const [uri] = await scene.succeeded(await generate(api, { model: 'gpt-image-2', size: '256x256', quality: 'low', n: 1 }), 1);
    assert.equal(path.posix.basename(vscode.Uri.parse(uri!).path), 'evil.png', 'the extension of the bytes (PNG)');
    assert.match(uri!, /\/docs\/pictures\/evil\.png$/);
    assert.match(scene.editor!.document.getText(), /!\[[^\]]*\]\(pictures\/evil\.png\)/);
  });
});
