// Improve prompt and described alt text, against the test chat model the main pass loads beside the extension
// (test/fixtures/chat-model: a provider through VS Code 1.100's proposed chatProvider API, or the stable one where it exists) and the sandbox gateway.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { ToWebview } from '../../src/protocol';
import type { Sandbox } from '../../tools/sandbox/server';
import type { Recorded, Told } from '../fixtures/chat-model/extension';
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
import { PASS } from './tally';

const SETTINGS = ['baseUrl', 'askForSize', 'size', 'n', 'altText', 'insert'];
const FORM = { model: 'gpt-image-2-origin', size: '1024x768', quality: 'medium', outputFormat: 'png', n: 1 } as const;

/** VS Code 1.104 made the chat model provider API stable; the test model uses it where it exists. */
const STABLE_PROVIDER_API = Number(vscode.version.split('.')[1]) >= 104;
const requests = async () => (await vscode.commands.executeCommand<Recorded[]>('testChatModel.requests')) ?? [];
const tell = (...answers: Told[]) => vscode.commands.executeCommand('testChatModel.tell', ...answers);

/** Picks the last item of the open quick pick (nothing happens while none is open). */
async function pickLast(): Promise<void> {
  await vscode.commands.executeCommand('quickInput.last');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('Help with the prompt (chat model)', function () {
  this.timeout(90_000);
  let api: TestApi;
  let sandbox: Sandbox;
  const generations = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/images/generations'));
  const sentPrompt = (i: number) => (generations()[i]?.json as { prompt?: string } | undefined)?.prompt;

  /** What the studio posted since `from`, of one type. */
  function posted<T extends ToWebview['type']>(type: T, from = 0): Extract<ToWebview, { type: T }>[] {
    return api.studio.posted.slice(from).filter((m): m is Extract<ToWebview, { type: T }> => m.type === type);
  }

  /** Improve prompt as the studio page sends it; the host's answer. */
  async function improveInStudio(prompt: string, model: string = FORM.model) {
    const from = api.studio.posted.length;
    await api.studio.receive({ type: 'improvePrompt', prompt, model });
    const [answer] = posted('improvedPrompt', from);
    assert.ok(answer, 'the studio answers every Improve prompt');
    return answer;
  }

  before(function () {
    // The test chat model is loaded in the main pass only.
    if (PASS !== 'main') this.skip();
  });
  before(async () => {
    api = await extensionApi();
    sandbox = await connectedSandbox(api);
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(SETTINGS);
    await vscode.commands.executeCommand('testChatModel.reset');
  });
  beforeEach(async () => {
    sandbox.reset();
    await vscode.commands.executeCommand('testChatModel.reset');
    await clearImages();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetSettings(['altText']);
    await config().update('askForSize', false, vscode.ConfigurationTarget.Global);
  });

  it('from the size pick: the heading and paragraph go to the chat model, and nothing to the gateway until the rewrite is accepted', async () => {
    await config().update('askForSize', true, vscode.ConfigurationTarget.Global);
    const editor = await markdownEditor(
      'help.md',
      '# Harbour guide\n\nIntro.\n\n## The lighthouse\nA lighthouse on a cliff\nwatches the boats.\n\nLater text.\n',
      5,
    );
    let settled = false;
    const running = Promise.resolve(vscode.commands.executeCommand<{ files: string[] } | undefined>('gptImage.generate')).finally(
      () => (settled = true),
    );
    // The size pick: its last item is Improve prompt (picked once the pick is open).
    const [asked] = await until('the chat model to be asked', async () => {
      await pickLast();
      await sleep(700);
      return (await requests()).length ? requests() : undefined;
    });
    assert.match(asked!.messages.join('\n'), /<<<\nA lighthouse on a cliff\n>>>/);
    assert.match(asked!.messages.join('\n'), /heading of the section[^<]*<<<\nThe lighthouse\n>>>/);
    assert.match(asked!.messages.join('\n'), /paragraph around[^<]*<<<\nA lighthouse on a cliff watches the boats\.\n>>>/);
    // Both provider APIs: 1.100's proposed one hands the provider the justification; the stable one (1.104 on)
    // shows it in VS Code's own consent question instead.
    assert.equal(asked!.api, STABLE_PROVIDER_API ? 'stable' : 'proposed');
    if (!STABLE_PROVIDER_API) assert.match(asked!.justification ?? '', /rewrites your image prompt/);
    // The rewrite waits in an input box: nothing has been generated.
    await sleep(1000);
    assert.equal(settled, false, 'the command waits for the rewrite to be accepted');
    assert.equal(generations().length, 0, 'nothing reached the gateway before the rewrite was accepted');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    // Then the size pick again, with the size first.
    for (let i = 0; i < 50 && !settled; i++) {
      await sleep(300);
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    const outcome = await running;
    assert.equal(outcome?.files.length, 1);
    assert.equal(generations().length, 1);
    assert.equal(sentPrompt(0), 'A lighthouse on a cliff, golden hour light, wide shot');
    assert.equal((await requests()).length, 1, 'the chat model was asked once');
    assert.match(
      editor.document.getText(),
      /A lighthouse on a cliff\n\n!\[A lighthouse on a cliff, golden hour light, wide shot\]\(images\//,
    );
  });

  it('from the studio: the rewrite fills the prompt box, and what the user sends after editing it is what is generated', async () => {
    // A name no other suite uses: an earlier suite's page.html may still be loaded, with its old text.
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'bakery-page.html');
    const html = '<h1>Shop</h1>\n<h2>Our <em>bakery</em></h2>\n<p>Fresh bread &amp; rolls,\nbaked every morning.</p>\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(html));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.equal(editor.document.getText(), html, 'the page as written');
    const at = editor.document.positionAt(html.indexOf('baked'));
    editor.selection = new vscode.Selection(at, at);
    await until(
      'the page to be the active editor',
      () => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString() || undefined,
    );

    const answer = await improveInStudio('bread');
    assert.deepEqual(answer, { type: 'improvedPrompt', prompt: 'bread, golden hour light, wide shot' });
    const [asked] = await requests();
    const said = api.services.log.recent.filter((l) => l.includes('improve prompt: ')).slice(-2);
    assert.match(asked!.messages.join('\n'), /<<<\nOur bakery\n>>>/, said.join(' | '));
    assert.match(asked!.messages.join('\n'), /<<<\nFresh bread & rolls, baked every morning\.\n>>>/);
    assert.equal(generations().length, 0, 'Improve prompt generates nothing');

    const from = api.studio.posted.length;
    await api.studio.receive({ type: 'generate', jobId: 'improved-1', options: { ...FORM, prompt: `${answer.prompt}, edited` } });
    await until('the job to finish', () => posted('jobDone', from).length || posted('jobFailed', from).length);
    assert.deepEqual(posted('jobFailed', from), []);
    assert.equal(generations().length, 1);
    assert.equal(sentPrompt(0), 'bread, golden hour light, wide shot, edited');
  });

  it("a hostile answer: control, bidi and invisible characters, a code fence, quotes and too much text are taken out or cut to the model's limit", async () => {
    await tell({ answer: 'Sure! Here you go:\n```text\n"A red\u0007 kite\u202e over\u200b the\u001b sea"\n```\nAnything else?' });
    assert.equal((await improveInStudio('a kite')).prompt, 'A red kite over the sea');

    await tell({ answer: 'word '.repeat(40_000) });
    const long = (await improveInStudio('a kite', 'dall-e-2')).prompt ?? '';
    assert.ok(long.length > 900 && long.length <= 1000, `cut to dall-e-2's 1000 characters, not ${long.length}`);

    await tell({ answer: '```\n\u202e\u0000\n```' });
    const empty = await improveInStudio('a kite');
    assert.equal(empty.prompt, undefined);
    assert.match(empty.problem ?? '', /gave no usable prompt\. Your prompt is unchanged/);
    assert.equal(generations().length, 0);
  });

  it('a failing chat model leaves the prompt unchanged with a message naming cause and fix', async () => {
    const cases: [Told, RegExp][] = [
      [{ fail: 'NoPermissions' }, /may not use the chat model Test Chat Model \(no permission\)\. Allow it when VS Code asks/],
      [{ fail: 'Blocked' }, /Test Chat Model refused the request \(blocked/],
      [{ fail: 'NotFound' }, /Test Chat Model is no longer available\. Check your chat extension/],
      [{ fail: 'crash' }, /Test Chat Model failed \(the test model crashed on purpose\)\. Try again/],
    ];
    for (const [told, expected] of cases) {
      await tell(told);
      const answer = await improveInStudio('a lighthouse');
      assert.equal(answer.prompt, undefined, JSON.stringify(told));
      assert.match(answer.problem ?? '', expected);
      assert.doesNotMatch(answer.problem ?? '', /\u202e/);
    }
    assert.equal(generations().length, 0);
  });

  it('alt text "describe": the chat model describes the image for the inserted link, from the prompt', async () => {
    await config().update('altText', 'describe', vscode.ConfigurationTarget.Global);
    const editor = await markdownEditor('alt.md', 'A paper crane on a desk\n', 0);
    const outcome = await api.generate({});
    assert.equal(outcome?.files.length, 1);
    const [file] = await listImages();
    assert.equal(editor.document.getText(), `A paper crane on a desk\n\n![A picture of A paper crane on a desk](images/${file})\n`);
    const [asked] = await requests();
    assert.match(asked!.messages[0]!, /alt text/);
    assert.match(asked!.messages.join('\n'), /<<<\nA paper crane on a desk\n>>>/);
  });

  it('alt text "describe" falls back to the prompt, and says why in the log, when the chat model fails or gives nothing', async () => {
    await config().update('altText', 'describe', vscode.ConfigurationTarget.Global);
    for (const told of [{ fail: 'crash' }, { answer: '\u0000 ""' }] as Told[]) {
      await tell(told);
      const editor = await markdownEditor('fallback.md', 'A green kite\n', 0);
      await api.generate({});
      assert.match(editor.document.getText(), /^A green kite\n\n!\[A green kite\]\(images\//, JSON.stringify(told));
      assert.match(api.services.log.recent.slice(-5).join('\n'), /alt text: .*the prompt is used/);
      await clearImages();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it("a workspace's gptImage.altText is ignored: a repository cannot make the extension use the user's chat model", async () => {
    // As a repository commits it (VS Code refuses to write a user-only setting there itself).
    const file = vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify({ 'gptImage.altText': 'describe' })));
    try {
      await sleep(1000);
      const editor = await markdownEditor('workspace-alt.md', 'A blue door\n', 0);
      await api.generate({});
      assert.match(editor.document.getText(), /^A blue door\n\n!\[A blue door\]\(images\//);
      assert.deepEqual(await requests(), [], 'the chat model was not asked');
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });

  it('without a chat model: the studio hides its button, the size pick has no Improve item, and alt text falls back', async () => {
    const from = api.studio.posted.length;
    await vscode.commands.executeCommand('testChatModel.unregister');
    await until('the studio to hear the model went', () => posted('promptHelp', from).some((m) => !m.available));
    assert.deepEqual(await vscode.lm.selectChatModels({ vendor: 'gpt-image-test' }), []);

    await config().update('askForSize', true, vscode.ConfigurationTarget.Global);
    await config().update('altText', 'describe', vscode.ConfigurationTarget.Global);
    const editor = await markdownEditor('absent.md', 'A quiet pond\n', 0);
    let settled = false;
    const running = Promise.resolve(vscode.commands.executeCommand<{ files: string[] } | undefined>('gptImage.generate')).finally(
      () => (settled = true),
    );
    // The last item is a size now: picking it generates.
    await until(
      'the generation',
      async () => {
        if (!settled) await pickLast();
        await sleep(700);
        return settled;
      },
      30_000,
    );
    assert.equal((await running)?.files.length, 1);
    assert.equal(generations().length, 1);
    assert.match(editor.document.getText(), /!\[A quiet pond\]\(images\//);
    assert.match(api.services.log.recent.slice(-5).join('\n'), /alt text: no chat model is available; the prompt is used/);

    const back = api.studio.posted.length;
    await vscode.commands.executeCommand('testChatModel.reset');
    await until('the studio to hear the model is back', () => posted('promptHelp', back).some((m) => m.available));
  });
});
