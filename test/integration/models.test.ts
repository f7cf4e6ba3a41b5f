import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MODELS } from '../../src/core/catalog';
import { MODEL_LIST_MAX_AGE_MS } from '../../src/core/modelCache';
import type { TestApi } from '../../src/extension';
import { MODEL_CACHE_KEY, ModelList } from '../../src/services/modelList';
import { refreshStaleModelIds } from '../../src/sidebar/gatewayModels';
import type { Sandbox } from '../../tools/sandbox/server';
import { clearImages, config, connectedSandbox, extensionApi, listImages, resetSettings, sleep } from './helpers';

const SETTINGS = ['baseUrl', 'askForSize', 'size', 'n', 'model'];
const GATEWAY_MODELS = ['gpt-image-1', 'dall-e-3', 'flux-1-schnell', 'gpt-4o-mini'];

function listings(sandbox: Sandbox) {
  return sandbox.requests.filter((r) => r.method === 'GET' && r.path === '/v1/models');
}

async function until(what: string, done: () => boolean, ms = 10_000, state?: () => Promise<string>): Promise<void> {
  for (const end = Date.now() + ms; !done(); await sleep(50)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${state ? `:\n${await state()}` : ''}`);
  }
}

describe('Model list (GET /v1/models cached per gateway, Choose Model, model access errors)', () => {
  let api: TestApi;
  let sandbox: Sandbox;
  /** What the extension keeps, read back the way it is stored. */
  const stored = () => api.services.state.get<Record<string, { ids: string[]; fetchedAt: number }>>(MODEL_CACHE_KEY) ?? {};
  const failures = () => api.services.log.recent.filter((l) => l.startsWith('models: listing'));

  before(async () => {
    api = await extensionApi();
    sandbox = await connectedSandbox(api, {}, { models: GATEWAY_MODELS });
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(SETTINGS);
    await api.services.state.update(MODEL_CACHE_KEY, undefined);
  });
  beforeEach(async () => {
    sandbox.reset();
    await config().update('baseUrl', sandbox.baseUrl, vscode.ConfigurationTarget.Global);
    await api.services.state.update(MODEL_CACHE_KEY, undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('fetches once, then serves the kept list for a day without a request', async () => {
    const list = new ModelList(api.services);
    const first = await list.list();
    assert.equal(listings(sandbox).length, 1);
    assert.deepEqual(first?.ids, ['dall-e-3', 'gpt-image-1', 'flux-1-schnell', 'gpt-4o-mini'], 'image models first');
    assert.equal(first?.apiRoot, sandbox.baseUrl);
    assert.deepEqual(Object.keys(stored()), [sandbox.baseUrl], 'kept under the API root');
    assert.ok(Math.abs(stored()[sandbox.baseUrl]!.fetchedAt - Date.now()) < 10_000, 'with the time it was fetched');

    const again = await new ModelList(api.services).list();
    assert.equal(listings(sandbox).length, 1, 'a second call within the day sends nothing');
    assert.deepEqual(again?.ids, first?.ids);
    assert.equal(again?.fetchedAt, first?.fetchedAt);

    const dayLater = new ModelList(api.services, () => Date.now() + MODEL_LIST_MAX_AGE_MS + 1);
    await dayLater.list();
    assert.equal(listings(sandbox).length, 2, 'a day later the list is fetched again');
  });

  it('a forced refresh fetches again; callers at the same time share one request', async () => {
    const list = new ModelList(api.services);
    await list.list();
    await list.list({ refresh: true, interactive: true });
    assert.equal(listings(sandbox).length, 2, 'the refresh button always asks the gateway');

    sandbox.enqueue({ type: 'delay', ms: 300, on: 'models' });
    const all = await Promise.all([
      list.list({ refresh: true }),
      list.list({ refresh: true, interactive: true }),
      list.list({ refresh: true }),
    ]);
    assert.equal(listings(sandbox).length, 3, 'three callers, one request');
    for (const l of all) assert.deepEqual(l?.ids, all[0]?.ids);
  });

  it('each base URL has its own entry', async () => {
    const other = await connectedSandbox(api, {}, { models: ['dall-e-2', 'sd-xl-turbo'] });
    try {
      const list = new ModelList(api.services);
      assert.deepEqual((await list.list())?.ids, ['dall-e-2', 'sd-xl-turbo']);
      assert.equal(listings(other).length, 1);
      assert.equal(listings(sandbox).length, 0, "the other gateway's list was not used or asked for");

      await config().update('baseUrl', `${sandbox.baseUrl}/`, vscode.ConfigurationTarget.Global);
      assert.ok((await list.list())?.ids.includes('flux-1-schnell'));
      assert.equal(listings(sandbox).length, 1);
      assert.deepEqual(Object.keys(stored()).sort(), [other.baseUrl, sandbox.baseUrl].sort());

      await config().update('baseUrl', other.baseUrl.replace(/\/v1$/, ''), vscode.ConfigurationTarget.Global);
      assert.deepEqual((await list.list())?.ids, ['dall-e-2', 'sd-xl-turbo'], 'another spelling of the same gateway');
      assert.equal(listings(other).length, 1, 'still kept: no second request');
    } finally {
      await other.close();
    }
  });

  it('without a stored key, nothing is asked for or sent; the kept list is all there is', async () => {
    const origin = new URL(sandbox.baseUrl).origin;
    const list = new ModelList(api.services);
    await api.services.keys.delete(origin);
    try {
      const listing = await list.list();
      assert.deepEqual(listing, { apiRoot: sandbox.baseUrl, ids: [], fetchedAt: undefined });
      assert.equal(await list.canFetchQuietly(), false);
      let shown: string[] | undefined;
      refreshStaleModelIds(api.services, (ids) => (shown = ids));
      await sleep(300);
      assert.equal(shown, undefined);
      assert.equal(listings(sandbox).length, 0);
    } finally {
      await api.services.keys.store(origin, sandbox.key);
    }
  });

  it('the studio refreshes a missing or day-old list in the background, and a fresh one not at all', async () => {
    const shown: string[][] = [];
    refreshStaleModelIds(api.services, (ids) => shown.push(ids));
    await until('the background refresh', () => shown.length > 0);
    assert.ok(shown[0]!.includes('flux-1-schnell'));
    assert.equal(listings(sandbox).length, 1);

    refreshStaleModelIds(api.services, (ids) => shown.push(ids));
    await sleep(300);
    assert.equal(shown.length, 1, 'a fresh list is not fetched again');

    const old = Date.now() - MODEL_LIST_MAX_AGE_MS - 60_000;
    await api.services.state.update(MODEL_CACHE_KEY, { [sandbox.baseUrl]: { ids: ['gpt-image-1'], fetchedAt: old } });
    refreshStaleModelIds(api.services, (ids) => shown.push(ids));
    await until('the day-old list to be refetched', () => shown.length > 1);
    assert.equal(listings(sandbox).length, 2);
  });

  it('a 401 from /models keeps the old list and says why, once and without the key', async () => {
    const list = new ModelList(api.services);
    const before = await list.list();
    const kept = stored()[sandbox.baseUrl];
    const logged = failures().length;
    sandbox.enqueue({
      type: 'status',
      status: 401,
      code: 'invalid_api_key',
      message: `Invalid token: Bearer ${sandbox.key}`,
      on: 'models',
    });
    const failed = await Promise.all([list.list({ refresh: true, interactive: true }), list.list({ refresh: true })]);
    assert.equal(listings(sandbox).length, 2, 'one request for both callers, not retried');
    for (const l of failed) {
      assert.match(l?.error ?? '', /refused the API key \(HTTP 401 invalid_api_key.*Check or replace the key/);
      assert.ok(!l!.error!.includes(sandbox.key), 'the key the server echoed is not repeated');
      assert.deepEqual(l?.ids, before?.ids, 'the old list is kept');
      assert.equal(l?.fetchedAt, before?.fetchedAt);
    }
    assert.deepEqual(stored()[sandbox.baseUrl], kept, 'the kept entry is untouched');
    assert.equal(failures().length, logged + 1, 'said once');
    for (const line of api.services.log.recent) assert.ok(!line.includes(sandbox.key), line);
  });

  it('a 500 from /models is retried, then the old list is kept; a missing /models says to type the id', async () => {
    const list = new ModelList(api.services);
    const before = await list.list();
    for (let i = 0; i < 3; i++) sandbox.enqueue({ type: 'status', status: 500, on: 'models' });
    const failed = await list.list({ refresh: true });
    assert.equal(listings(sandbox).length, 4, 'the first request and two retries');
    assert.match(failed?.error ?? '', /server error \(HTTP 500.*gave up after 2 retries/);
    assert.deepEqual(failed?.ids, before?.ids);

    sandbox.enqueue({ type: 'status', status: 404, message: '404 page not found', on: 'models' });
    const missing = await list.list({ refresh: true });
    assert.match(missing?.error ?? '', /offers no model list \(HTTP 404 from .*\/v1\/models\)\. Type the model id instead/);
    assert.deepEqual(missing?.ids, before?.ids);
  });

  it('an older version’s plain list is ignored, and dropped once a list is stored', async () => {
    await api.services.state.update('gptImage.studio.models', ['stale-model', 'gpt-image-1']);
    const list = new ModelList(api.services);
    assert.equal(list.cached(), undefined, 'not taken for the current gateway');
    assert.ok(!(await list.list())?.ids.includes('stale-model'));
    assert.equal(api.services.state.get('gptImage.studio.models'), undefined);
  });

  it('Choose Model lists catalog and gateway models, refreshes, and writes the pick to the user settings', async () => {
    await config().update('model', 'gpt-image-2-auto', vscode.ConfigurationTarget.Global);
    // The studio saves the new model into its form (globalState) as Choose Model stores the list it fetches. VS Code
    // echoes each globalState write back to the extension host, and an echo that lands between a later write and its
    // flush undoes that write: the list was lost that way in CI before services.state made such writes again
    // (core/steadyMemento.ts). So the two writes are left to meet here.
    await until(
      'the studio form to take the model',
      () => api.services.state.get<{ model?: string }>('gptImage.studio.form')?.model === 'gpt-image-2-auto',
    );
    const chosen = vscode.commands.executeCommand<string | undefined>('gptImage.chooseModel');
    // Opening with no kept list fetches one in the background (the key is stored): the pick is up by then.
    // (The studio, if a suite left it open, may have fetched it for the new base URL first.)
    await until(
      'the list fetched on open',
      () => listings(sandbox).length >= 1 && stored()[sandbox.baseUrl] !== undefined,
      10_000,
      async () =>
        [
          `listings: ${listings(sandbox).length}`,
          `stored: ${Object.keys(stored()).join(', ')}`,
          `key: ${(await api.services.keys.get(new URL(sandbox.baseUrl).origin)) ? 'stored' : 'none'}`,
          ...api.services.log.recent.slice(-8),
        ].join('\n'),
    );
    await sleep(500);
    // The refresh item is first, right above the catalog's first model.
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectPrevious');
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectPrevious');
    const fetched = listings(sandbox).length;
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await until('the refresh item to fetch again', () => listings(sandbox).length === fetched + 1);
    await sleep(500);
    // After a refresh the current model is highlighted again; the next one is the catalog's third.
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await chosen, MODELS[2]!.id);
    assert.equal(config().inspect('model')?.globalValue, MODELS[2]!.id);
    const studioForm = api.services.state.get<{ model?: string }>('gptImage.studio.form');
    assert.equal(studioForm?.model, MODELS[2]!.id, "the studio's form follows the chosen model");
    assert.ok(!api.services.log.recent.some((l) => l.includes('could not be stored')), 'no write was given up');
  });

  it('a generation with a model the key cannot use names it and the fix, retries nothing and saves nothing', async () => {
    await clearImages();
    const cases = [
      // one-api / new-api: no channel serves the model for the key's group, said with 503.
      {
        type: 'status',
        status: 503,
        errorType: 'one_api_error',
        message: '当前分组 default 下对于模型 gpt-image-1 无可用渠道 (request id: 7)',
      },
      { type: 'status', status: 403, code: 'model_not_permitted', message: 'You are not allowed to use model gpt-image-1.' },
    ] as const;
    for (const fault of cases) {
      sandbox.reset();
      sandbox.enqueue(fault);
      const errors: string[] = [];
      const outcome = await api.generate(
        { prompt: 'A locked door', model: 'gpt-image-1', size: '1024x1024', insert: 'none' },
        { onError: (m) => errors.push(m), useEditor: false },
      );
      assert.equal(outcome, undefined);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0]!, new RegExp(`Model "gpt-image-1" is not available for this key \\(HTTP ${fault.status}`));
      assert.match(errors[0]!, /Pick another model with "GPT Image: Choose Model", or ask the provider/);
      assert.equal(sandbox.requests.filter((r) => r.path.startsWith('/v1/images/generations')).length, 1, 'not retried');
      assert.deepEqual(await listImages(), []);
      const [last] = await api.services.history.all();
      assert.equal(last?.status, 'failed');
      assert.match(last?.error ?? '', /gpt-image-1/);
    }
  });
});
