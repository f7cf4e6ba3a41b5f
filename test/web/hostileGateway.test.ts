// A gateway that misbehaves, met by the browser's extension host: a redirect to another origin, the key
// echoed back, a malformed answer, more images than asked for, an image far over the cap. Each ends with a message
// naming the cause, nothing saved, and the key sent to the gateway's own origin only.
import type { TestApi } from '../../src/activate';
import type { Fault } from '../../tools/sandbox/faults';
import { check, checkFromBrowser, control, extensionApi, faults, heard, images, otherOrigin, readFile, same, sandboxKey } from './helpers';
import { readRecipe } from '../../src/core/xmpPacket';

interface Case {
  name: string;
  faults: () => Fault[];
  message: RegExp;
}

const CASES: Case[] = [
  {
    name: 'a redirect to another origin',
    faults: () => [{ type: 'redirect', status: 307, location: `${otherOrigin()}/v1/images/generations` }],
    message: /The gateway answered with a redirect \(HTTP 3\d\d\)\. Check the base URL/,
  },
  { name: 'the key echoed back in an error', faults: () => [{ type: 'echoAuth' }], message: /refused the API key.*\[REDACTED\]/ },
  { name: 'malformed JSON', faults: () => [{ type: 'malformedJson' }], message: /not valid JSON/ },
  // Decoded as they arrive, and refused at the second (thousands would be refused on their announced length alone).
  {
    name: '100 images for n=1',
    faults: () => [{ type: 'tooManyImages', count: 100 }],
    message: /the gateway sent more than 1 image for n=1/,
  },
  {
    name: 'an image URL far larger than the cap',
    faults: () => [{ type: 'urlLarge', bytes: 48 * 1024 * 1024 }],
    message: /image server is larger than the \d+ MB limit/,
  },
];

describe('Web extension host: a hostile gateway', () => {
  let api: TestApi;
  /** Requests that reached the sandbox under the other origin's host name. */
  const atOtherOrigin = async () => (await heard()).filter((r) => r.headers.host === new URL(otherOrigin()).host);

  before(async () => {
    api = await extensionApi();
  });
  beforeEach(() => control('reset', {}));

  for (const c of CASES) {
    it(`${c.name}: a message naming the cause, nothing saved, the key to the gateway only`, async () => {
      await faults(...c.faults());
      const before = await images();
      const errors: string[] = [];
      const outcome = await api.generate(
        { prompt: 'a locked chest', insert: 'none' },
        { useEditor: false, onError: (m) => errors.push(m) },
      );
      const said = errors.join(' | ');
      same(outcome?.files.length ?? 0, 0, 'files saved');
      check(c.message.test(said), `the message names the cause (${c.message}): ${said}`);
      check(!said.includes(sandboxKey()), `the key is not in the message: ${said}`);
      same(await images(), before, 'the images folder');
      same(await atOtherOrigin(), [], 'requests to the other origin');
      const posts = (await heard()).filter((r) => r.method === 'POST');
      same(posts.length, 1, 'requests sent (none followed, none retried)');
      checkFromBrowser(posts[0]!, 'the generation');
      same(posts[0]!.headers.authorization, `Bearer ${sandboxKey()}`, 'the key, to the gateway');
    });
  }

  it('an image URL on another origin is fetched without the key, and saved', async () => {
    await faults({ type: 'urlOrigin', origin: otherOrigin() });
    const errors: string[] = [];
    const outcome = await api.generate({ prompt: 'a chest of maps', insert: 'none' }, { useEditor: false, onError: (m) => errors.push(m) });
    same(errors.join(' | '), '', 'errors');
    check(outcome?.files.length === 1, 'the image saved');
    same(readRecipe(await readFile(outcome.files[0]!))?.prompt, 'a chest of maps', 'its recipe');
    const downloads = await atOtherOrigin();
    same(
      downloads.map((r) => [r.method, /^\/files\/[0-9a-f]+\.png$/.test(r.path), r.headers.authorization]),
      [['GET', true, undefined]],
      'the download from the other origin, without the key',
    );
    checkFromBrowser(downloads[0]!, 'the download');
  });
});
