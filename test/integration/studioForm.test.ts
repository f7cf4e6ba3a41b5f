// The studio's form across a page reload: the page keeps a copy in its view state and the host another; each
// carries a revision, so a reloaded page starts from the newer one, and a late save from the page cannot bring
// back a form the host replaced since (protocol.ts: newerForm).
import * as assert from 'node:assert/strict';
import type { TestApi } from '../../src/extension';
import type { FormState, InitMessage, ToWebview } from '../../src/protocol';
import type { Sandbox } from '../../tools/sandbox/server';
import { clearImages, connectedSandbox, extensionApi, resetSettings, sleep, studioPage } from './helpers';

const SETTINGS = ['baseUrl', 'askForSize', 'size', 'n', 'model', 'previews', 'quality'];

describe('Studio form: the newer of the page and host copies survives a reload (real extension host)', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sandbox: Sandbox;
  let page: Awaited<ReturnType<typeof studioPage>>;

  /** The last message of a type the host posted after `from`, once it has come. */
  async function next<T extends ToWebview['type']>(type: T, from: number): Promise<Extract<ToWebview, { type: T }>> {
    for (const end = Date.now() + 15_000; Date.now() < end; await sleep(20)) {
      const found = page.posted.slice(from).filter((m): m is Extract<ToWebview, { type: T }> => m.type === type);
      if (found.length) return found[found.length - 1]!;
    }
    throw new Error(`the host posted no ${type}`);
  }

  /** What a page loading now starts from: the host's copy (the page's `ready` after its first gets a fresh init). */
  async function hostCopy(): Promise<InitMessage> {
    const from = page.posted.length;
    page.send({ type: 'ready' });
    return next('init', from);
  }

  /** The page's save once typing pauses, and the host has taken it (or not). */
  async function pageSaves(form: FormState, revision: number): Promise<void> {
    page.send({ type: 'saveForm', form, revision });
    await sleep(200);
  }

  before(async () => {
    api = await extensionApi();
    sandbox = await connectedSandbox(api, { model: 'gpt-image-1', size: '1024x1024', quality: 'low', previews: 'off', n: 1 });
    page = await studioPage(api);
    page.send({ type: 'ready' });
  });
  after(async () => {
    page?.dispose();
    await sandbox?.close();
    await resetSettings(SETTINGS);
    await clearImages();
  });

  it('keeps the newest change, whoever made it, and drops a late save of an older one', async () => {
    const start = await hostCopy();
    const r = start.formRevision;

    // A change the page made: the host keeps it, one revision up.
    await pageSaves({ ...start.form, prompt: 'typed before the reload' }, r + 1);
    let copy = await hostCopy();
    assert.equal(copy.form.prompt, 'typed before the reload');
    assert.equal(copy.formRevision, r + 1);

    // A save of an older revision (the page's view state from seconds before) changes nothing.
    await pageSaves({ ...start.form, prompt: 'an older copy' }, r);
    assert.equal((await hostCopy()).form.prompt, 'typed before the reload');

    // The host replaces the form (Use prompt again): one revision past the page's, and posted with it.
    const outcome = await api.generate({ prompt: 'a reused lighthouse prompt', insert: 'none' }, { useEditor: false });
    assert.equal(outcome?.files.length, 1);
    const entry = (await api.services.history.all())[0]!;
    const from = page.posted.length;
    page.send({ type: 'reusePrompt', entryId: entry.id });
    const replaced = await next('form', from);
    assert.equal(replaced.form.prompt, 'a reused lighthouse prompt');
    assert.equal(replaced.revision, r + 2);

    // The page's save of what it had typed, sent before it heard of the new form, arrives late: dropped.
    await pageSaves({ ...start.form, prompt: 'typed before the reuse' }, r + 1);
    copy = await hostCopy();
    assert.equal(copy.form.prompt, 'a reused lighthouse prompt', 'the late save did not bring the old prompt back');
    assert.equal(copy.formRevision, r + 2);

    // The page's next change goes above the host's, and is kept.
    await pageSaves({ ...replaced.form, prompt: 'a reused lighthouse prompt, at night' }, r + 3);
    copy = await hostCopy();
    assert.deepEqual([copy.form.prompt, copy.formRevision], ['a reused lighthouse prompt, at night', r + 3]);
  });

  it('refuses a revision that is not a whole, safe count, one far ahead of the host (a pinned count), and a save without one', async () => {
    const before = await hostCopy();
    for (const revision of [-1, 0.5, Number.MAX_SAFE_INTEGER + 2, '99', undefined, Number.MAX_SAFE_INTEGER, before.formRevision + 1001]) {
      await pageSaves({ ...before.form, prompt: `hostile ${String(revision)}` }, revision as number);
    }
    const after = await hostCopy();
    assert.deepEqual([after.form.prompt, after.formRevision], [before.form.prompt, before.formRevision]);
  });
});
