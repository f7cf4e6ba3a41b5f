import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { actualCost } from '../../src/core/actualCost';
import type { HistoryEntry } from '../../src/core/historyEntry';
import type { TestApi } from '../../src/extension';
import type { FormState, SpentRow } from '../../src/protocol';
import type { Sandbox } from '../../tools/sandbox/server';
import { clearImages, connectedSandbox, extensionApi, resetSettings, sleep, studioPage } from './helpers';

const SETTINGS = ['baseUrl', 'askForSize', 'size', 'n', 'model', 'previews', 'quality'];
/** The sandbox's host, as each entry records its gateway. */
const HOST = '127.0.0.1';

async function until<T>(what: string, find: () => T | undefined, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) {
    const found = find();
    if (found !== undefined) return found;
  }
  throw new Error(`timed out waiting for ${what}`);
}

const row = (spent: readonly SpentRow[] | undefined) => spent?.find((r) => r.gateway === HOST);

describe('Cost: the actual cost from usage beside the estimate, and spending per gateway (real extension host, sandbox gateway)', () => {
  let api: TestApi;
  let sandbox: Sandbox;
  const newest = async (): Promise<HistoryEntry> => (await api.services.history.all())[0]!;

  before(async () => {
    api = await extensionApi();
    sandbox = await connectedSandbox(api, { model: 'gpt-image-1', size: '1024x1024', quality: 'medium', previews: 'off' });
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(SETTINGS);
    await clearImages();
  });

  it("records the estimate and the actual cost from the answer's usage, with the gateway's host", async () => {
    const prompt = 'a brass compass on a map';
    const outcome = await api.generate({ prompt, n: 2, insert: 'none' }, { useEditor: false });
    assert.equal(outcome?.files.length, 2);
    const entry = await newest();
    // The sandbox reports OpenAI's counts: the prompt's text tokens, 1056 output tokens per medium square image.
    const text = Math.ceil(prompt.length / 4);
    assert.deepEqual(entry.usage, {
      input_tokens: text,
      input_tokens_details: { text_tokens: text, image_tokens: 0 },
      output_tokens: 2112,
      total_tokens: text + 2112,
    });
    assert.equal(entry.gateway, HOST);
    assert.equal(entry.estimate, 0.08448, '2 x 1056 tokens at $40 per million');
    assert.equal(entry.actual, Math.round(text * 5 + 2112 * 40) / 1e6);
    assert.equal(entry.actual, actualCost('gpt-image-1', entry.usage));
    assert.ok(api.services.log.recent.some((l) => l.includes(`cost $${entry.actual!.toFixed(4)} from usage (estimate $0.0845)`)));
  });

  it('a model without token prices records its estimate only', async () => {
    await vscode.workspace.getConfiguration('gptImage').update('model', 'gpt-image-2-origin', vscode.ConfigurationTarget.Global);
    try {
      await api.generate({ prompt: 'a paper lantern', size: '1024x768', n: 1, insert: 'none' }, { useEditor: false });
    } finally {
      await vscode.workspace.getConfiguration('gptImage').update('model', 'gpt-image-1', vscode.ConfigurationTarget.Global);
    }
    const entry = await newest();
    assert.ok(entry.usage, 'the sandbox reported usage');
    assert.deepEqual([entry.estimate, entry.actual, entry.gateway], [0.01836, undefined, HOST]);
  });

  it("the studio's job card gets the cost, and its history messages carry what was spent per gateway", async () => {
    const page = await studioPage(api);
    try {
      page.send({ type: 'ready' });
      // A second `ready` (the page reloaded) gets a fresh init.
      page.send({ type: 'ready' });
      const init = await until('init', () => page.posted.find((m) => m.type === 'init'));
      const before = row(init.type === 'init' ? init.history.spent : undefined);
      assert.ok(before, "the init carries this gateway's spending");
      const form: FormState = {
        prompt: 'a small red boat',
        model: 'gpt-image-1',
        size: '1024x1024',
        quality: 'low',
        outputFormat: 'png',
        n: 1,
        background: 'auto',
        moderation: 'auto',
        outputCompression: 100,
        inputFidelity: 'low',
        previews: 'off',
      };
      page.send({ type: 'generate', jobId: 'cost-job-1', options: form });
      const done = await until('jobDone', () => page.posted.find((m) => m.type === 'jobDone' && m.jobId === 'cost-job-1'));
      const entry = await newest();
      assert.ok(done.type === 'jobDone' && done.cost);
      assert.deepEqual(done.cost, { estimate: 0.01088, actual: entry.actual });
      assert.ok(entry.actual! > 0);
      // The page reloaded: the job's card comes back with the same cost.
      const from = page.posted.length;
      page.send({ type: 'ready' });
      const again = await until('a fresh init', () => page.posted.slice(from).find((m) => m.type === 'init'));
      const replayed = again.type === 'init' ? again.jobs.find((j) => j.jobId === 'cost-job-1') : undefined;
      assert.deepEqual(replayed?.cost, done.cost, 'the card shown again keeps its cost');
      const after = await until('history with the new spending', () => {
        const h = [...page.posted].reverse().find((m) => m.type === 'history');
        const r = h?.type === 'history' ? row(h.spent) : undefined;
        return r && r.all.usd > before.all.usd ? r : undefined;
      });
      // The new entry adds its actual cost, nothing estimated, to today, this week and all.
      for (const period of ['today', 'week', 'all'] as const) {
        assert.ok(Math.abs(after[period].usd - before[period].usd - entry.actual!) < 1e-6, period);
        assert.equal(after[period].estimated, before[period].estimated, period);
      }
      // And the entry's view shows both figures.
      const h = [...page.posted].reverse().find((m) => m.type === 'history');
      assert.deepEqual(h?.type === 'history' ? h.entries.find((e) => e.id === entry.id)?.cost : undefined, done.cost);
    } finally {
      page.dispose();
    }
  });
});
