// Iterating on a result in the browser's extension host: Edit Image with Prompt from the Explorer (saved beside
// its source, "Compare with original" offered and opened), Refine This Image on that result, the studio's
// Refine this, Compare with parent and More like this. Files go through workspace.fs, requests through fetch.
import * as vscode from 'vscode';
import type { TestApi } from '../../src/activate';
import { sniffImage } from '../../src/core/images';
import { readRecipe } from '../../src/core/xmpPacket';
import {
  acceptingEverything,
  check,
  checkFromBrowser,
  control,
  drawPng,
  type EditSummary,
  extensionApi,
  heardAt,
  images,
  jobEnd,
  openStudio,
  posted,
  readFile,
  root,
  same,
  sha256,
  until,
} from './helpers';

const FOLDER = 'web-iterate';
const SIDE = 1024;

describe('Web extension host: edit from the Explorer, compare, refine and more like this', () => {
  let api: TestApi;
  const source = () => vscode.Uri.joinPath(root(), FOLDER, 'harbor.png');
  const file = (name: string) => vscode.Uri.joinPath(root(), FOLDER, name).toString();
  const newest = async () => (await api.services.history.all())[0]!;
  const edits = async () => (await heardAt('images/edits')).filter((r) => r.method === 'POST');

  before(async () => {
    api = await extensionApi();
    await openStudio(api);
    await control('reset', {});
    await vscode.workspace.fs.writeFile(
      source(),
      await drawPng(SIDE, SIDE, (c) => {
        c.fillStyle = '#2a9d8f';
        c.fillRect(0, 0, SIDE, SIDE);
      }),
    );
  });
  after(async () => {
    await api.studio.receive({ type: 'removeReference', uri: file('harbor-edited.png') });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), FOLDER), { recursive: true, useTrash: false });
  });

  it('Edit Image with Prompt saves the result beside its source, offers Compare with original, and opens both', async () => {
    const prompt = 'the harbor at dusk';
    const original = await sha256(await readFile(source()));
    await api.services.state.update('gptImage.lastPrompt', prompt);
    await vscode.commands.executeCommand('notifications.clearAll');
    const offered = api.comparePanel.offered;
    // As the Explorer runs it on a right-clicked file: the file, and the selection it belongs to.
    const outcome = await acceptingEverything<{ files: string[] }>('gptImage.editImage', source(), [source()]);

    same(await images(FOLDER), ['harbor-edited.png', 'harbor.png'], 'the folder after the edit');
    same(outcome?.files, [file('harbor-edited.png')], 'what the command reports');
    same(await sha256(await readFile(source())), original, 'the source');
    const bytes = await readFile(file('harbor-edited.png'));
    same(sniffImage(bytes), { format: 'png', width: SIDE, height: SIDE }, 'the result');
    same([readRecipe(bytes)?.prompt, readRecipe(bytes)?.edit], [prompt, { sources: [`${FOLDER}/harbor.png`], mask: false }], 'its recipe');

    const sent = await edits();
    same(sent.length, 1, 'edit requests');
    checkFromBrowser(sent[0]!, 'the edit');
    same((sent[0]!.json as EditSummary).fields.prompt, prompt, 'the prompt sent');
    const entry = await newest();
    same([entry.kind, entry.prompt, entry.sources, entry.parent], ['edit', prompt, [source().toString()], undefined], 'the history entry');

    // The offer is a notification; its button, as a click runs it, opens the panel with both sides from the workspace.
    await until('the compare offer', () => api.comparePanel.offered === offered + 1);
    await until('the compare panel', () => {
      void vscode.commands.executeCommand('notification.acceptPrimaryAction');
      return api.comparePanel.open;
    });
    same([api.comparePanel.before, api.comparePanel.after], [source().toString(), file('harbor-edited.png')], 'the two sides');
    await until('the compare tab', () =>
      vscode.window.tabGroups.all.some((g) =>
        g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('gptImage.compare')),
      ),
    );
  });

  it('Refine This Image edits the result with its own prompt, continues its lineage, and Compare with parent shows both', async () => {
    const parent = await newest();
    const target = file('harbor-edited.png');
    await api.services.state.update('gptImage.lastPrompt', 'something typed before');
    // The prompt box starts from the image's prompt; accepting it unchanged sends that prompt.
    const outcome = await acceptingEverything<{ files: string[] }>('gptImage.refine', vscode.Uri.parse(target, true));
    same(outcome?.files.length, 1, 'files the refine saved');
    const refined = outcome!.files[0]!;
    check(refined.startsWith(vscode.Uri.joinPath(root(), FOLDER).toString() + '/'), `saved beside the image it refines: ${refined}`);
    const entry = await newest();
    same([entry.kind, entry.prompt, entry.parent, entry.sources], ['edit', parent.prompt, parent.id, [target]], 'the history entry');
    same(((await edits()).at(-1)?.json as EditSummary | undefined)?.fields.prompt, parent.prompt, 'the prompt sent');

    const from = api.studio.posted.length;
    await api.studio.receive({ type: 'compareParent', file: refined });
    const [shown] = await until('the comparison', () => {
      const views = posted(api, 'compare', from);
      return views.length ? views : undefined;
    });
    same([shown!.compare.before.file.uri, shown!.compare.after.file.uri], [target, refined], 'the parent, then the refined result');
    for (const side of [shown!.compare.before, shown!.compare.after]) {
      check(side.file.src !== side.file.uri, `shown through the webview: ${side.file.src}`);
    }
  });

  it("the studio's Refine this takes a result as its reference, and More like this sends that edit again as a new job", async () => {
    const target = file('harbor-edited.png');
    const from = api.studio.posted.length;
    await api.studio.receive({ type: 'refine', file: target });
    const references = await until('the reference', () => posted(api, 'references', from).at(-1));
    same(
      references.references.map((r) => [r.uri, r.width, r.height]),
      [[target, SIDE, SIDE]],
      'the reference the host took',
    );

    const refined = await newest();
    const before = (await edits()).length;
    await api.studio.receive({ type: 'moreLikeThis', jobId: 'web-more-1', entryId: refined.id });
    const done = await jobEnd(api, 'web-more-1');
    const sent = await edits();
    same(sent.length, before + 1, 'edit requests');
    checkFromBrowser(sent.at(-1)!, 'the repeated edit');
    same(sent.at(-1)!.json, sent.at(-2)!.json, 'the same fields and files as the entry it repeats');
    const again = await newest();
    check(again.id !== refined.id, 'a new history entry');
    same(
      [again.kind, again.sources, again.parent, again.request],
      [refined.kind, refined.sources, refined.parent, refined.request],
      'its recipe',
    );
    same(
      done.files.map((f) => f.uri),
      again.files.map((f) => f.uri),
      "the job card's files",
    );
    check(!refined.files.some((f) => again.files.some((g) => g.uri === f.uri)), 'new files');
  });
});
