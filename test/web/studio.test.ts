// The Image Studio in the browser's extension host, its real view open in the workbench: a generation sent
// as the page sends it, what the host posts back to the page, and what it saved.
import * as vscode from 'vscode';
import type { TestApi } from '../../src/activate';
import { sniffImage } from '../../src/core/images';
import { readRecipe } from '../../src/core/xmpPacket';
import {
  check,
  checkFromBrowser,
  control,
  extensionApi,
  faults,
  heardAt,
  images,
  jobEnd,
  openStudio,
  posted,
  readFile,
  root,
  same,
  studioForm,
  until,
} from './helpers';

describe('Web extension host: the Image Studio', () => {
  let api: TestApi;

  before(async () => {
    api = await extensionApi();
    await openStudio(api);
  });
  beforeEach(() => control('reset', {}));

  it("generates what the page asks, posts progress and the card's files, entry and cost, and saves the images with their recipe", async () => {
    const prompt = 'a paper crane on a desk';
    const from = api.studio.posted.length;
    await api.studio.receive({ type: 'generate', jobId: 'web-studio-1', options: studioForm(prompt, { quality: 'medium', n: 2 }) });
    const done = await jobEnd(api, 'web-studio-1');

    const posts = (await heardAt('images/generations')).filter((r) => r.method === 'POST');
    same(posts.length, 1, 'generation requests');
    checkFromBrowser(posts[0]!, 'the generation');
    same(
      posts[0]!.json,
      { model: 'gpt-image-1', prompt, size: '1024x1024', quality: 'medium', output_format: 'png', n: 2 },
      'the request the form made',
    );

    check(
      posted(api, 'jobProgress', from).some((m) => m.jobId === 'web-studio-1'),
      'progress posted for the job before it ended',
    );
    const entry = (await api.services.history.all())[0]!;
    same(entry.prompt, prompt, 'the newest history entry');
    same(
      done.files.map((f) => [f.uri, f.width, f.height, f.missing]),
      entry.files.map((f) => [f.uri, 1024, 1024, false]),
      "the job card's files",
    );
    for (const f of done.files) check(f.src !== f.uri && f.src.includes(f.name), `the card shows ${f.name} through the webview: ${f.src}`);
    same(done.entry, { id: entry.id, parent: false }, "the card's history entry");
    same(done.cost, { estimate: entry.estimate, actual: entry.actual }, "the card's cost");
    check(entry.actual !== undefined && entry.actual > 0, `the actual cost from usage: ${entry.actual}`);

    for (const f of entry.files) {
      check(f.uri.startsWith(vscode.Uri.joinPath(root(), 'images').toString() + '/'), `saved in the output folder: ${f.uri}`);
      const bytes = await readFile(f.uri);
      same(sniffImage(bytes), { format: 'png', width: 1024, height: 1024 }, f.uri);
      same([readRecipe(bytes)?.prompt, readRecipe(bytes)?.n], [prompt, 2], `the recipe of ${f.uri}`);
    }
  });

  it("shows a gateway's refusal on the job's row, and saves nothing", async () => {
    await faults({ type: 'status', status: 400, message: 'Your request was rejected by the safety system.', code: 'moderation_blocked' });
    const before = await images();
    await api.studio.receive({ type: 'generate', jobId: 'web-studio-2', options: studioForm('a harbor') });
    const failed = await until('the job to fail', () => posted(api, 'jobFailed').find((m) => m.jobId === 'web-studio-2'));
    check(/rejected by the safety system/.test(failed.message), `the gateway's reason: ${failed.message}`);
    same(
      posted(api, 'jobDone').filter((m) => m.jobId === 'web-studio-2'),
      [],
      'a jobDone',
    );
    same(await images(), before, 'the images folder');
  });
});
