// The extension in the browser's extension host (a web worker, as in vscode.dev): its requests go through
// the browser's fetch to the sandbox gateway, which the runner started with CORS, and its files through
// workspace.fs. No Node here: no node:assert, no fs; the sandbox is driven over its HTTP control routes.
import * as vscode from 'vscode';
import type { TestApi } from '../../src/activate';
import { readRecipe } from '../../src/core/xmpPacket';

const EXTENSION_ID = 'gpt-image-studio.gpt-image-studio';
/** Where the runner put the sandbox's key for this pass (a test profile's user settings). */
const KEY_SETTING = 'gptImageTests.sandboxKey';

function check(value: unknown, what: string): asserts value {
  if (!value) throw new Error(what);
}

function same<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

interface Heard {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

describe('Web extension host: the browser build against a gateway over fetch', () => {
  let api: TestApi;
  const config = () => vscode.workspace.getConfiguration('gptImage');
  const origin = () => new URL(config().get<string>('baseUrl')!).origin;
  const control = async (path: string, body?: unknown): Promise<unknown> => {
    const init = body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
    const res = await fetch(`${origin()}/__sandbox/${path}`, init);
    check(res.ok, `the sandbox's ${path} answered ${res.status}`);
    return res.headers.get('content-type')?.includes('json') ? res.json() : undefined;
  };
  const images = async (): Promise<string[]> => {
    const folder = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'images');
    return (await vscode.workspace.fs.readDirectory(folder).then(undefined, () => [])).map(([name]) => name).sort();
  };

  before(async () => {
    const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
    check(ext, `${EXTENSION_ID} is loaded`);
    const exported = await ext.activate();
    check(exported, 'the extension exposes its test API in test mode');
    api = exported;
    for (const [k, v] of Object.entries({ askForSize: false, size: '1024x1024', n: 1, model: 'gpt-image-1', previews: 'off' })) {
      await config().update(k, v, vscode.ConfigurationTarget.Global);
    }
    const key = vscode.workspace.getConfiguration().get<string>(KEY_SETTING);
    check(key, `the runner sets ${KEY_SETTING}`);
    await api.services.keys.store(origin(), key);
  });
  beforeEach(() => control('reset', {}));

  it('runs in a web worker: no Node process, the web UI', () => {
    const g = globalThis as { process?: { versions?: { node?: string } }; importScripts?: unknown };
    same(g.process?.versions?.node, undefined, 'a Node version');
    same(typeof g.importScripts, 'function', 'a worker global');
    same(vscode.env.uiKind, vscode.UIKind.Web, 'the UI kind');
  });

  it('says the browser was refused, and what the gateway must allow, when its answers lack CORS headers; nothing is saved', async () => {
    await control('faults', { type: 'noCors' });
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
    same((await images()).join(','), before.join(','), 'the images folder');
  });

  it('streams partial previews through the browser fetch, then saves the final image', async () => {
    await config().update('previews', '2', vscode.ConfigurationTarget.Global);
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
      same(
        readRecipe(await vscode.workspace.fs.readFile(vscode.Uri.parse(outcome.files[0]!, true)))?.prompt,
        'a lighthouse forming',
        'its recipe',
      );
    } finally {
      await config().update('previews', 'off', vscode.ConfigurationTarget.Global);
    }
  });

  // Last: the runner checks from outside that the sandbox's last requests came from a browser.
  it('generates through Generate Image, saves the image with its recipe in the workspace, and records it', async () => {
    const errors: string[] = [];
    const outcome = await api.generate(
      { prompt: 'a lighthouse at dawn', insert: 'none' },
      { useEditor: false, onError: (m) => errors.push(m) },
    );
    same(errors.join(' | '), '', 'errors');
    check(outcome?.files.length === 1, 'one file saved');
    const uri = vscode.Uri.parse(outcome.files[0]!, true);
    const root = vscode.workspace.workspaceFolders![0]!.uri;
    check(
      uri.scheme === root.scheme && uri.path.startsWith(`${root.path}/images/`),
      `saved in the workspace's images folder: ${uri.toString()}`,
    );
    const bytes = await vscode.workspace.fs.readFile(uri);
    same([...bytes.subarray(0, 8)].join(','), '137,80,78,71,13,10,26,10', 'the PNG signature');
    const recipe = readRecipe(bytes);
    same(recipe?.prompt, 'a lighthouse at dawn', 'the embedded prompt');
    same(recipe?.model, 'gpt-image-1', 'the embedded model');
    same((await api.services.history.all())[0]?.files[0]?.uri, outcome.files[0], 'the newest history entry names the file');

    // The request came from the browser's fetch: a cross-origin request carries Origin and a CORS fetch mode.
    const heard = (await control('requests')) as Heard[];
    const post = heard.find((r) => r.method === 'POST' && r.path.endsWith('/images/generations'));
    check(post, 'the sandbox received the generation');
    check(post.headers.origin, 'the request names its origin, as browsers do');
    same(post.headers['sec-fetch-mode'], 'cors', 'the fetch mode');
  });
});
