// Async mode (gptImage.mode "async") in the browser's extension host: the generation goes as a task,
// polled through the browser's fetch until it completes, and the image is saved as in sync mode.
import type { TestApi } from '../../src/activate';
import { readRecipe } from '../../src/core/xmpPacket';
import {
  check,
  checkFromBrowser,
  control,
  extensionApi,
  faults,
  heard,
  PNG_SIGNATURE,
  readFile,
  same,
  sandboxKey,
  setting,
  signature,
} from './helpers';

describe('Web extension host: async mode, an image task submitted and polled', () => {
  let api: TestApi;

  before(async () => {
    api = await extensionApi();
    await setting('mode', 'async');
  });
  after(() => setting('mode', undefined));
  beforeEach(() => control('reset', {}));

  it('creates the task, polls it until it completes, and saves the image with its recipe', async () => {
    // One "processing" answer, then the finished task: two polls, about 2.5 s of waiting.
    await faults({ type: 'taskPolls', polls: 1 });
    const prompt = 'a windmill in the rain';
    const errors: string[] = [];
    const progress: string[] = [];
    const outcome = await api.generate(
      { prompt, insert: 'none' },
      { useEditor: false, onError: (m) => errors.push(m), onProgress: (m) => progress.push(m) },
    );
    same(errors.join(' | '), '', 'errors');

    const requests = (await heard()).filter((r) => r.path.startsWith('/v1/images/'));
    same(
      requests.map((r) => `${r.method} ${r.path.replace(/task_[0-9a-f]+/, 'ID')}`),
      ['POST /v1/images/tasks', 'GET /v1/images/tasks/ID', 'GET /v1/images/tasks/ID'],
      'the task created, then polled twice; nothing to the synchronous endpoint',
    );
    const [created, ...polls] = requests;
    const body = created!.json as Record<string, unknown>;
    same(
      [body.prompt, body.model, body.size, body.n, body.stream],
      [prompt, 'gpt-image-1', '1024x1024', 1, undefined],
      'the task asked for',
    );
    same(new Set(polls.map((r) => r.path)).size, 1, 'the polls ask after one task');
    for (const r of requests) {
      checkFromBrowser(r, `${r.method} ${r.path}`);
      same(r.headers.authorization, `Bearer ${sandboxKey()}`, `the key on ${r.method} ${r.path}`);
    }
    check(
      progress.some((m) => /Waiting for the server/.test(m)),
      `progress while polling: ${progress.join(' | ')}`,
    );

    check(outcome?.files.length === 1, 'one file saved');
    const bytes = await readFile(outcome.files[0]!);
    same(signature(bytes), PNG_SIGNATURE, 'the PNG signature');
    same([readRecipe(bytes)?.prompt, readRecipe(bytes)?.model], [prompt, 'gpt-image-1'], 'the recipe');
    const entry = (await api.services.history.all())[0];
    same([entry?.kind, entry?.files[0]?.uri], ['generate', outcome.files[0]], 'the history entry');
  });
});
