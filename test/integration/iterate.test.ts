import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../../src/config/settings';
import type { HistoryEntry } from '../../src/core/historyEntry';
import type { TestApi } from '../../src/extension';
import { generate, type GenerateOutcome } from '../../src/flow/generation';
import { repeatOrder } from '../../src/flow/iterate';
import { resultInWorkspace } from '../../src/sidebar/references';
import { readImageFile } from '../../src/workspace/imageFiles';
import { renderImage } from '../../tools/sandbox/render';
import type { Sandbox } from '../../tools/sandbox/server';
import { acceptingEverything, clearImages, connectedSandbox, extensionApi, resetSettings, runEditCommand, workspaceRoot } from './helpers';

const SETTINGS = ['baseUrl', 'askForSize', 'size', 'n', 'model', 'previews', 'outputFormat', 'quality', 'confirmAbove'];
/** Where the studio saves: the output folder, no link, no notification. */
const STUDIO = { insert: 'none', saveAs: { outputFolder: 'images', explicitFolder: false }, quiet: true } as const;

describe('Iterate on a result (Refine this, More like this, lineage; real extension host, sandbox gateway)', () => {
  let api: TestApi;
  let sandbox: Sandbox;

  const newest = async (): Promise<HistoryEntry> => (await api.services.history.all())[0]!;
  const posts = (path: string) => sandbox.requests.filter((r) => r.method === 'POST' && r.path.startsWith(path));

  /** An edit as the studio sends it: the files read as references; the lineage is the generation service's to find. */
  async function studioEdit(prompt: string, sources: string[], opts: { mask?: Uint8Array } = {}): Promise<GenerateOutcome | undefined> {
    const images = [];
    for (const s of sources) {
      const read = await readImageFile(vscode.Uri.parse(s, true));
      assert.ok(read.ok, `${s} reads`);
      images.push({ name: read.name, bytes: read.bytes });
    }
    const { settings } = readSettings();
    const request = {
      prompt,
      model: 'gpt-image-1',
      size: '1024x1024',
      quality: 'high',
      outputFormat: 'png' as const,
      n: 1,
      inputFidelity: 'high' as const,
    };
    const mask = opts.mask ? { name: 'mask.png', bytes: opts.mask } : undefined;
    return generate(api.services, settings, { request, edit: { images, mask, sources }, mode: 'sync' }, STUDIO);
  }

  /** More like this, as the studio runs it. */
  async function moreLikeThis(entry: HistoryEntry): Promise<GenerateOutcome | undefined> {
    const { settings } = readSettings();
    const order = await repeatOrder(entry, settings);
    assert.equal(typeof order, 'object', String(order));
    if (typeof order === 'string') return undefined;
    return generate(api.services, settings, order, STUDIO);
  }

  before(async () => {
    api = await extensionApi();
    // Two high-quality images of gpt-image-1 are estimated above the default threshold: no question here.
    sandbox = await connectedSandbox(api, { model: 'gpt-image-1', size: '1024x1024', previews: 'off', confirmAbove: 0 });
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(SETTINGS);
    await clearImages();
  });
  beforeEach(async () => {
    sandbox.reset();
    await clearImages();
  });

  it('records a generation as one, with the request it sent', async () => {
    const outcome = await api.generate(
      { prompt: 'a paper boat', quality: 'high', outputFormat: 'webp', outputCompression: 80, background: 'opaque', n: 2, insert: 'none' },
      { useEditor: false },
    );
    assert.equal(outcome?.files.length, 2);
    const entry = await newest();
    assert.equal(entry.kind, 'generate');
    assert.deepEqual(entry.request, {
      model: 'gpt-image-1',
      size: '1024x1024',
      quality: 'high',
      outputFormat: 'webp',
      n: 2,
      background: 'opaque',
      outputCompression: 80,
    });
    assert.equal(entry.sources, undefined);
    assert.equal(entry.parent, undefined);
  });

  it('records an edit as an edit, with its sources, its mask and the entry it refined', async () => {
    await api.generate({ prompt: 'a red kite', insert: 'none' }, { useEditor: false });
    const first = await newest();
    const source = first.files[0]!.uri;
    const mask = (await readImageFile(vscode.Uri.parse(source, true))) as { bytes: Uint8Array };
    assert.ok(await studioEdit('the kite in a storm', [source], { mask: mask.bytes }));
    const edit = await newest();
    assert.equal(edit.kind, 'edit');
    assert.deepEqual(edit.sources, [source]);
    assert.equal(edit.mask, true);
    assert.equal(edit.parent, first.id);
    assert.equal(edit.prompt, 'the kite in a storm');
    assert.deepEqual(edit.request, {
      model: 'gpt-image-1',
      size: '1024x1024',
      quality: 'high',
      outputFormat: 'png',
      n: 1,
      inputFidelity: 'high',
    });
  });

  it('a refine chain of two links each edit to the one before', async () => {
    await api.generate({ prompt: 'a lighthouse', insert: 'none' }, { useEditor: false });
    const root = await newest();
    await studioEdit('the lighthouse at night', [root.files[0]!.uri]);
    const second = await newest();
    await studioEdit('the lighthouse at night, in fog', [second.files[0]!.uri]);
    const third = await newest();
    assert.deepEqual([root.parent, second.parent, third.parent], [undefined, root.id, second.id]);
    // A source the history does not name (a file of the user's) starts a new line.
    const own = vscode.Uri.joinPath(workspaceRoot(), 'images', 'own-photo.png');
    await vscode.workspace.fs.copy(vscode.Uri.parse(third.files[0]!.uri, true), own, { overwrite: true });
    await studioEdit('my own photo, brighter', [own.toString()]);
    assert.equal((await newest()).parent, undefined);
  });

  it('an edit started from the Explorer continues the lineage of the result it edits', async () => {
    await api.generate({ prompt: 'a wooden chair', insert: 'none' }, { useEditor: false });
    const root = await newest();
    const edited = await runEditCommand(api, 'the chair painted red', vscode.Uri.parse(root.files[0]!.uri, true));
    assert.equal(edited?.files.length, 1);
    const edit = await newest();
    assert.deepEqual([edit.kind, edit.parent, edit.sources], ['edit', root.id, [root.files[0]!.uri]]);
  });

  it('Refine This Image (Explorer, image tab) edits the image with its own prompt to change: from the history, else from its recipe', async () => {
    await api.generate({ prompt: 'a copper kettle on a stove', insert: 'none' }, { useEditor: false });
    const root = await newest();
    await api.services.state.update('gptImage.lastPrompt', 'something typed before');
    // The prompt box starts from the image's prompt; accepting it unchanged sends that prompt.
    const refined = await acceptingEverything('gptImage.refine', vscode.Uri.parse(root.files[0]!.uri, true));
    assert.equal(refined?.files.length, 1);
    const edit = await newest();
    assert.deepEqual([edit.kind, edit.prompt, edit.parent, edit.sources], ['edit', root.prompt, root.id, [root.files[0]!.uri]]);

    // A copy no history entry names (an image from another machine): the prompt comes from the recipe it carries.
    const copy = vscode.Uri.joinPath(workspaceRoot(), 'images', 'shared-kettle.png');
    await vscode.workspace.fs.copy(vscode.Uri.parse(edit.files[0]!.uri, true), copy, { overwrite: true });
    await api.services.state.update('gptImage.lastPrompt', 'something typed before');
    await acceptingEverything('gptImage.refine', copy);
    const again = await newest();
    assert.deepEqual([again.prompt, again.parent, again.sources], [root.prompt, undefined, [copy.toString()]]);
  });

  it('More like this sends a generation exactly as before, as a new job with new images', async () => {
    const first = await api.generate(
      { prompt: 'a glass teapot', quality: 'low', outputFormat: 'jpeg', outputCompression: 50, moderation: 'low', n: 1, insert: 'none' },
      { useEditor: false },
    );
    const entry = await newest();
    const again = await moreLikeThis(entry);
    const sent = posts('/v1/images/generations');
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[1]!.json, sent[0]!.json, 'the same request body');
    assert.notDeepEqual(again?.files, first?.files, 'new files');
    const rerun = await newest();
    assert.notEqual(rerun.id, entry.id);
    assert.deepEqual(rerun.request, entry.request);
  });

  it('More like this leaves out what the model does not take, and previews the settings turned off', async () => {
    await api.generate({ prompt: 'a tin robot', n: 1, insert: 'none' }, { useEditor: false });
    const entry = await newest();
    // As a history file could hold it: options the provider's model takes none of, and billed previews.
    const forged = { model: 'gpt-image-2-origin', size: '1024x768', background: 'opaque', moderation: 'low', partialImages: 2 } as const;
    const again = async (recorded: object) => {
      const order = await repeatOrder({ ...entry, request: { ...entry.request!, ...recorded } }, readSettings().settings);
      assert.equal(typeof order, 'object', String(order));
      return typeof order === 'object' ? order.request : undefined;
    };
    const origin = await again(forged);
    assert.deepEqual(
      [origin?.model, origin?.size, origin?.background, origin?.moderation, origin?.partialImages],
      ['gpt-image-2-origin', '1024x768', undefined, undefined, undefined],
    );
    // gpt-image-1 streams: its previews go again only while gptImage.previews is not off.
    assert.equal((await again({ partialImages: 2 }))?.partialImages, undefined, 'previews off');
    await vscode.workspace.getConfiguration('gptImage').update('previews', '2', vscode.ConfigurationTarget.Global);
    try {
      assert.equal((await again({ partialImages: 2 }))?.partialImages, 2, 'previews on: the same request');
    } finally {
      await vscode.workspace.getConfiguration('gptImage').update('previews', 'off', vscode.ConfigurationTarget.Global);
    }
  });

  it('More like this sends an edit again with the same sources and no mask, and says so when a source is gone', async () => {
    await api.generate({ prompt: 'a green door', insert: 'none' }, { useEditor: false });
    const source = (await newest()).files[0]!.uri;
    await studioEdit('the door painted blue', [source]);
    const edit = await newest();
    await moreLikeThis(edit);
    const sent = posts('/v1/images/edits');
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[1]!.json, sent[0]!.json, 'the same fields and files');
    const rerun = await newest();
    assert.deepEqual([rerun.kind, rerun.sources, rerun.parent], ['edit', [source], edit.parent]);

    // A masked edit is sent again without its mask: the mask is not kept.
    await studioEdit('the door ajar', [source], {
      mask: ((await readImageFile(vscode.Uri.parse(source, true))) as { bytes: Uint8Array }).bytes,
    });
    const masked = await newest();
    await moreLikeThis(masked);
    const [withMask, again] = posts('/v1/images/edits').slice(-2);
    assert.ok(withMask!.json && (withMask!.json as { files: { field: string }[] }).files.some((f) => f.field === 'mask'));
    assert.ok(!(again!.json as { files: { field: string }[] }).files.some((f) => f.field === 'mask'));

    await vscode.workspace.fs.delete(vscode.Uri.parse(source, true));
    const order = await repeatOrder(edit, readSettings().settings);
    assert.equal(typeof order, 'string');
    assert.match(String(order), /source image of this edit cannot be used: .*could not be read; check that it still exists/);
  });

  it('More like this reads no source a history entry names outside the workspace, nor more than an edit takes', async () => {
    const outside = vscode.Uri.file(path.join(os.tmpdir(), `gpt-image-outside-${Date.now()}.png`));
    await vscode.workspace.fs.writeFile(
      outside,
      await renderImage({ prompt: 'outside', width: 64, height: 64, format: 'png', model: 'x', index: 0, total: 1 }),
    );
    try {
      const entry = (await api.services.history.all()).find((e) => e.kind === 'edit')!;
      const sent = posts('/v1/images/edits').length;
      const order = await repeatOrder({ ...entry, sources: [outside.toString()] }, readSettings().settings);
      assert.match(String(order), /outside the workspace/);
      // A link inside the workspace that leads out of it is outside too.
      const link = vscode.Uri.joinPath(workspaceRoot(), `link-${Date.now()}.png`);
      fs.symlinkSync(outside.fsPath, link.fsPath);
      const linked = await repeatOrder({ ...entry, sources: [link.toString()] }, readSettings().settings).finally(() =>
        fs.unlinkSync(link.fsPath),
      );
      assert.match(String(linked), /outside the workspace/);
      const many = await repeatOrder({ ...entry, sources: Array(17).fill(entry.sources![0]) }, readSettings().settings);
      assert.equal(typeof many, 'string');
      assert.equal(posts('/v1/images/edits').length, sent, 'nothing sent');
    } finally {
      await vscode.workspace.fs.delete(outside);
    }
  });

  it('Refine this takes only a file a history entry names, inside a workspace folder', async () => {
    await api.generate({ prompt: 'a blue bicycle', insert: 'none' }, { useEditor: false });
    const entries = await api.services.history.all();
    const entry = entries[0]!;
    const file = entry.files[0]!.uri;
    const taken = await resultInWorkspace(entries, file);
    assert.ok(taken && 'uri' in taken, 'a result in the workspace is taken');
    assert.equal(taken.uri.toString(), file);
    assert.equal(taken.entry.id, entry.id);

    // A workspace image no entry names (what a forged message would ask for).
    const own = vscode.Uri.joinPath(workspaceRoot(), 'images', 'own.png');
    await vscode.workspace.fs.copy(vscode.Uri.parse(file, true), own);
    assert.equal(await resultInWorkspace(entries, own.toString()), undefined);

    // An entry naming an image outside the workspace: refused with the reason.
    const outside = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'refine-')), 'elsewhere.png'));
    await vscode.workspace.fs.copy(vscode.Uri.parse(file, true), outside);
    const foreign = [{ ...entry, id: 'x', files: [{ ...entry.files[0]!, uri: outside.toString() }] }];
    const refused = await resultInWorkspace(foreign, outside.toString());
    assert.ok(refused && 'problem' in refused);
    assert.match(refused.problem, /elsewhere\.png is not in a workspace folder/);
  });

  it('an entry from before requests were recorded cannot be repeated, with a message saying what to do', async () => {
    const old: HistoryEntry = { id: '1-old', time: 1, prompt: 'an old one', model: 'gpt-image-1', status: 'succeeded', files: [] };
    const order = await repeatOrder(old, readSettings().settings);
    assert.match(String(order), /older version .* "Use prompt again"/);
  });
});
