import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../../src/config/settings';
import type { HistoryEntry } from '../../src/core/historyEntry';
import type { TestApi } from '../../src/extension';
import { generate } from '../../src/flow/generation';
import { repeatOrder } from '../../src/flow/iterate';
import { parentPair, twoResults, type ComparePair } from '../../src/sidebar/compare';
import { editPair } from '../../src/sidebar/comparePanel';
import { PreviewPage } from '../../src/sidebar/previewPage';
import { resultInWorkspace } from '../../src/sidebar/references';
import { jobEntry } from '../../src/sidebar/views';
import { readImageFile } from '../../src/workspace/imageFiles';
import { renderImage } from '../../tools/sandbox/render';
import type { Sandbox } from '../../tools/sandbox/server';
import { EXTENSION_ID, clearImages, connectedSandbox, extensionApi, resetSettings, runEditCommand, sleep, workspaceRoot } from './helpers';

const SETTINGS = ['baseUrl', 'askForSize', 'size', 'n', 'model', 'previews'];
/** Where the studio saves: the output folder, no link, no notification. */
const STUDIO = { insert: 'none', saveAs: { outputFolder: 'images', explicitFolder: false }, quiet: true } as const;

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !check(); await sleep(100)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

describe('Compare and the studio card actions (real extension host, sandbox gateway)', () => {
  let api: TestApi;
  let sandbox: Sandbox;
  const newest = async (): Promise<HistoryEntry> => (await api.services.history.all())[0]!;

  /** A studio edit of one result: the generation service records it as the new entry's parent. */
  async function refine(source: string, prompt: string): Promise<string[]> {
    const read = await readImageFile(vscode.Uri.parse(source, true));
    assert.ok(read.ok);
    const request = { prompt, model: 'gpt-image-1', size: '1024x1024', n: 1 };
    const edit = { images: [{ name: read.name, bytes: read.bytes }], sources: [source] };
    const outcome = await generate(api.services, readSettings().settings, { request, edit, mode: 'sync' }, STUDIO);
    assert.ok(outcome);
    return outcome.files;
  }

  /** A file outside every workspace folder, and an entry that names it (what a forged history would hold). */
  async function outsideEntry(like: HistoryEntry): Promise<{ uri: string; entry: HistoryEntry }> {
    const outside = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'compare-')), 'elsewhere.png'));
    await vscode.workspace.fs.copy(vscode.Uri.parse(like.files[0]!.uri, true), outside);
    return { uri: outside.toString(), entry: { ...like, id: 'outside-1', files: [{ ...like.files[0]!, uri: outside.toString() }] } };
  }

  before(async () => {
    api = await extensionApi();
    sandbox = await connectedSandbox(api, { model: 'gpt-image-1', size: '1024x1024', previews: 'off' });
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(SETTINGS);
    await clearImages();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  beforeEach(async () => {
    sandbox.reset();
    await clearImages();
  });

  it('the Explorer edit offers "Compare with original", which shows the source and the result, both from the workspace', async () => {
    const source = vscode.Uri.joinPath(workspaceRoot(), 'images', 'harbor.png');
    await vscode.workspace.fs.writeFile(
      source,
      await renderImage({ prompt: 'harbor', width: 1536, height: 1024, format: 'png', model: 'x', index: 0, total: 1 }),
    );
    await vscode.commands.executeCommand('notifications.clearAll');
    const offered = api.comparePanel.offered;
    const outcome = await runEditCommand(api, 'the harbor at night', source);
    assert.equal(outcome?.files.length, 1);
    await until('the offer', () => api.comparePanel.offered === offered + 1);
    // The notification's button, as a click on it would run it.
    await until('the compare panel', () => {
      void vscode.commands.executeCommand('notification.acceptPrimaryAction');
      return api.comparePanel.open;
    });
    assert.equal(api.comparePanel.before, source.toString(), 'the source on one side');
    assert.equal(api.comparePanel.after, outcome.files[0], 'the result on the other');
    const viewTypes = () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => (t.input instanceof vscode.TabInputWebview ? t.input.viewType : '')));
    await until('the panel tab', () => viewTypes().some((v) => v.endsWith('gptImage.compare')));
  });

  it('opens a panel page once more when it never says ready, once, in one tab', async () => {
    const extensionUri = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    const tabs = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Start test');
    let disposed = 0;
    // Too short for any page to start: the first is given up for a second, which starts.
    const page = new PreviewPage(extensionUri, 'gptImage.startTest', 'Start test', true, () => disposed++, 1);
    page.post({ type: 'ended', caption: 'posted before ready' });
    await until('the second page', () => page.restarts === 1);
    await until('the second page to start', () => page.started, 45_000);
    assert.equal(page.restarts, 1, 'opened again once, not in a loop');
    assert.equal(disposed, 0, 'the owner does not see the first page closed');
    assert.equal(tabs().length, 1, 'one panel, not two');
    page.panel.dispose();
    assert.equal(disposed, 1, 'closing the page tells the owner');
    await until('the tab to close', () => tabs().length === 0);
  });

  it('offers the comparison only when the source and the result are both inside the workspace', async () => {
    await api.generate({ prompt: 'a quiet harbor', insert: 'none' }, { useEditor: false });
    const entry = await newest();
    const inside = entry.files[0]!;
    const outside = await outsideEntry(entry);
    const outcome = (source: string, result: typeof inside) => ({ files: [result.uri], images: [result], sources: [source] });
    const pair = await editPair(outcome(inside.uri, inside));
    assert.deepEqual([pair?.before.uri, pair?.after.uri], [inside.uri, inside.uri]);
    assert.equal(await editPair(outcome(outside.uri, inside)), undefined, 'a source outside');
    assert.equal(await editPair(outcome(inside.uri, { ...inside, uri: outside.uri })), undefined, 'a result outside');
    assert.equal(await editPair({ files: [], images: [], sources: [inside.uri] }), undefined, 'no result');
  });

  it('Compare with parent shows an edit beside the image it refined; two results show oldest first', async () => {
    await api.generate({ prompt: 'a red kite', insert: 'none' }, { useEditor: false });
    const first = await newest();
    const [edited] = await refine(first.files[0]!.uri, 'the kite in a storm');
    const entries = await api.services.history.all();
    const pair = (await parentPair(entries, edited!)) as ComparePair;
    assert.deepEqual(
      [pair.before.uri, pair.before.label, pair.after.uri, pair.after.label],
      [first.files[0]!.uri, 'Before', edited, 'After'],
    );
    assert.equal(pair.after.width, 1024);

    const two = (await twoResults(entries, [edited!, first.files[0]!.uri])) as ComparePair;
    assert.deepEqual([two.before.label, two.after.label], ['a red kite', 'the kite in a storm'], 'the older before, by their prompts');
    // A result with no parent has nothing to compare with: only a forged message asks.
    assert.equal(await parentPair(entries, first.files[0]!.uri), undefined);
  });

  it('refuses a forged compare or Show Generation Info: a file no entry names, or one outside the workspace', async () => {
    await api.generate({ prompt: 'a blue bicycle', insert: 'none' }, { useEditor: false });
    const entries = await api.services.history.all();
    const entry = entries[0]!;
    const file = entry.files[0]!.uri;
    // A workspace image no entry names.
    const own = vscode.Uri.joinPath(workspaceRoot(), 'images', 'own.png');
    await vscode.workspace.fs.copy(vscode.Uri.parse(file, true), own);
    assert.equal(await twoResults(entries, [file, own.toString()]), undefined);
    assert.equal(await parentPair(entries, own.toString()), undefined);
    assert.equal(await resultInWorkspace(entries, own.toString()), undefined, 'Show Generation Info takes the same rule');

    // Named by an entry, but outside the workspace: refused with the reason, for either side.
    const outside = await outsideEntry(entry);
    const forged = [...entries, outside.entry];
    for (const pick of [
      await twoResults(forged, [file, outside.uri]),
      await twoResults(forged, [outside.uri, file]),
      await resultInWorkspace(forged, outside.uri),
    ]) {
      assert.ok(pick && 'problem' in pick, JSON.stringify(pick));
      assert.match(pick.problem, /elsewhere\.png is not in a workspace folder/);
    }
    // A parent whose image lies outside: the edit's own file is fine, its parent's is refused.
    const [edited] = await refine(file, 'the bicycle in rain');
    const child = { ...(await newest()), parent: outside.entry.id, sources: [outside.uri] };
    const withOutsideParent = [child, ...forged.filter((e) => e.id !== child.id)];
    const refused = await parentPair(withOutsideParent, edited!);
    assert.ok(refused && 'problem' in refused);
    assert.match(refused.problem, /elsewhere\.png is not in a workspace folder/);
  });

  it('More like this from a job card acts on the entry the job saved', async () => {
    await api.generate({ prompt: 'a glass teapot', insert: 'none' }, { useEditor: false });
    const root = await newest();
    const files = await refine(root.files[0]!.uri, 'the teapot, full of tea');
    const saved = await newest();
    // What the studio's jobDone carries for the card.
    assert.deepEqual(jobEntry(files, await api.services.history.all()), { entry: { id: saved.id, parent: true } });
    assert.deepEqual(
      jobEntry(
        root.files.map((f) => f.uri),
        await api.services.history.all(),
      ),
      { entry: { id: root.id, parent: false } },
    );
    assert.deepEqual(jobEntry([], await api.services.history.all()), {}, 'a job without files names nothing');

    const order = await repeatOrder(saved, readSettings().settings);
    assert.equal(typeof order, 'object', String(order));
    if (typeof order === 'string') return;
    await generate(api.services, readSettings().settings, order, STUDIO);
    const sent = sandbox.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/images/edits'));
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[1]!.json, sent[0]!.json, 'the same edit again');
    assert.equal((await newest()).parent, root.id);
  });
});
