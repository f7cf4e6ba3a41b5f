// The studio's Insert button on a history image: the link goes where the Generate command would put it, in the
// document's own style, as a paragraph of its own where the style needs one, and the user's selection stays.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Sandbox } from '../../tools/sandbox/server';
import { clearImages, connectedSandbox, extensionApi, resetSettings, sleep, studioPage } from './helpers';

const SETTINGS = ['baseUrl', 'askForSize', 'size', 'n', 'model', 'insert'];

describe('Studio Insert: the link placed as the Generate command places it (real extension host)', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sandbox: Sandbox;
  let file: vscode.Uri;

  /** Opens a document, places the selection, then presses the studio's Insert for the image. */
  async function insertInto(language: string, content: string, selection: vscode.Selection): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument({ language, content });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = selection;
    // A fresh page, made while the editor is active: the one the button acts in.
    const page = await studioPage(api);
    try {
      page.send({ type: 'ready' });
      page.send({ type: 'insert', file: file.toString() });
      for (const end = Date.now() + 15_000; doc.getText() === content && Date.now() < end;) await sleep(50);
      return editor;
    } finally {
      page.dispose();
    }
  }

  before(async () => {
    api = await extensionApi();
    sandbox = await connectedSandbox(api, { model: 'gpt-image-1', size: '1024x1024', n: 1 });
    const outcome = await api.generate({ prompt: 'a red kite', insert: 'none' }, { useEditor: false });
    assert.equal(outcome?.files.length, 1);
    file = vscode.Uri.parse(outcome!.files[0]!);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await sandbox?.close();
    await resetSettings(SETTINGS);
    await clearImages();
  });

  it('puts an rst directive from the middle of a line after that line, as a paragraph of its own', async () => {
    // At the cursor the rest of the line would follow the directive and be read as its content.
    const editor = await insertInto('restructuredtext', 'Intro text here\nstill the intro\n', new vscode.Selection(0, 5, 0, 5));
    const text = editor.document.getText();
    const directive = String.raw`\.\. image:: images/[^\n]+\.png\n {3}:alt: a red kite\n {3}:width: 1024\n {3}:height: 1024`;
    assert.match(text, new RegExp(String.raw`^Intro text here\n\n${directive}\n\nstill the intro\n$`), text);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    // At the end of a document's last line: one blank line before it, none added after.
    const last = await insertInto('restructuredtext', 'The end', new vscode.Selection(0, 3, 0, 3));
    assert.match(last.document.getText(), new RegExp(String.raw`^The end\n\n${directive}$`), last.document.getText());
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('puts a Markdown image after the selected line, not over the selection, and keeps the selection', async () => {
    // (AsciiDoc goes the same way, but VS Code knows its language only with an extension installed.)
    const selection = new vscode.Selection(0, 2, 0, 11);
    const editor = await insertInto('markdown', 'A paragraph\n\nThe next one\n', selection);
    const text = editor.document.getText();
    assert.match(text, /^A paragraph\n\n!\[a red kite\]\(images\/[^\n]+\.png\)\n\nThe next one\n$/, text);
    // The handler puts the selection back once its edit is done: wait for that, within a limit.
    for (const end = Date.now() + 5000; !editor.selection.isEqual(selection) && Date.now() < end;) await sleep(50);
    assert.ok(editor.selection.isEqual(selection), `the selection is the user's: ${JSON.stringify(editor.selection)}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
