// The extension in the browser's extension host (a web worker, as in vscode.dev): its requests go through
// the browser's fetch to the sandbox gateway, which the runner started with CORS, and its files through
// workspace.fs. No Node here: no node:assert, no fs; the sandbox is driven over its HTTP control routes.
import * as vscode from 'vscode';
import type { TestApi } from '../../src/activate';
import { readRecipe } from '../../src/core/xmpPacket';
import {
  check,
  checkFromBrowser,
  control,
  extensionApi,
  faults,
  heardAt,
  images,
  PNG_SIGNATURE,
  readFile,
  root,
  same,
  setting,
  signature,
} from './helpers';

describe('Web extension host: the browser build against a gateway over fetch', () => {
  let api: TestApi;

  before(async () => {
    api = await extensionApi();
  });
  beforeEach(() => control('reset', {}));

  it('runs in a web worker: no Node process, the web UI', () => {
    const g = globalThis as { process?: { versions?: { node?: string } }; importScripts?: unknown };
    same(g.process?.versions?.node, undefined, 'a Node version');
    same(typeof g.importScripts, 'function', 'a worker global');
    same(vscode.env.uiKind, vscode.UIKind.Web, 'the UI kind');
  });

  it('says the browser was refused, and what the gateway must allow, when its answers lack CORS headers; nothing is saved', async () => {
    await faults({ type: 'noCors' });
    const before = await images();
    const errors: string[] = [];
    const outcome = await api.generate(
      { prompt: 'a harbor at night', insert: 'none' },
      { useEditor: false, onError: (m) => errors.push(m) },
    );
    same(outcome?.files.length ?? 0, 0, 'files saved');
    const said = errors.join(' | ');
    check(
      /browser could not reach/.test(said) && /Access-Control-Allow-Origin/.test(said),
      `the message names the cause and the fix: ${said}`,
    );
    same(await images(), before, 'the images folder');
  });

  it('streams partial previews through the browser fetch, then saves the final image', async () => {
    await setting('previews', '2');
    try {
      let previews = 0;
      const errors: string[] = [];
      const outcome = await api.generate(
        { prompt: 'a lighthouse forming', insert: 'none' },
        { useEditor: false, onError: (m) => errors.push(m), onPreview: () => previews++ },
      );
      same(errors.join(' | '), '', 'errors');
      same(previews, 2, 'partial images shown');
      check(outcome?.files.length === 1, 'the final image saved');
      same(readRecipe(await readFile(outcome.files[0]!))?.prompt, 'a lighthouse forming', 'its recipe');
    } finally {
      await setting('previews', 'off');
    }
  });

  // Last of all the suites (index.ts imports this file last): the runner checks from outside that the
  // sandbox's requests since the last reset came from a browser.
  it('generates through Generate Image, saves the image with its recipe in the workspace, and records it', async () => {
    const errors: string[] = [];
    const outcome = await api.generate(
      { prompt: 'a lighthouse at dawn', insert: 'none' },
      { useEditor: false, onError: (m) => errors.push(m) },
    );
    same(errors.join(' | '), '', 'errors');
    check(outcome?.files.length === 1, 'one file saved');
    const uri = vscode.Uri.parse(outcome.files[0]!, true);
    check(
      uri.scheme === root().scheme && uri.path.startsWith(`${root().path}/images/`),
      `saved in the workspace's images folder: ${uri.toString()}`,
    );
    const bytes = await readFile(uri);
    same(signature(bytes), PNG_SIGNATURE, 'the PNG signature');
    const recipe = readRecipe(bytes);
    same(recipe?.prompt, 'a lighthouse at dawn', 'the embedded prompt');
    same(recipe?.model, 'gpt-image-1', 'the embedded model');
    same((await api.services.history.all())[0]?.files[0]?.uri, outcome.files[0], 'the newest history entry names the file');

    // The request came from the browser's fetch: a cross-origin request carries Origin and a CORS fetch mode.
    const post = (await heardAt('images/generations')).find((r) => r.method === 'POST');
    check(post, 'the sandbox received the generation');
    checkFromBrowser(post, 'the generation');
  });
});
