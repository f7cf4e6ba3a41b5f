// What one answer may cost the machine, over real HTTP on 127.0.0.1: no more images than asked for,
// a few downloads at a time, one byte cap for all images, and image URLs only where the gateway may send us.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { AddressGuard, type Resolver } from '../../src/core/addressGuard';
import { generateImages, type ClientOptions, type ProgressEvent } from '../../src/core/client';
import { startDeadline } from '../../src/core/deadline';
import { checkScheme, downloadImage } from '../../src/core/download';
import { renderImage } from '../../tools/sandbox/render';
import { generateImagesAsync } from '../../src/core/tasks';
import type { Sandbox } from '../../tools/sandbox/server';
import { nodeNetwork } from '../../src/core/transport.node';
import type { Transport } from '../../src/core/transport';
import { failure, reaching, small, withSandboxes } from './sandboxClient';

const NETWORK = nodeNetwork();

const KEY = 'answer-limits-key-5d1c0e';

let sb: Sandbox;
let urlSb: Sandbox;
withSandboxes(KEY, (started) => ({ sb, urlSb } = started));

const opts = (extra: Partial<ClientOptions> = {}): ClientOptions => ({ ...reaching(sb, NETWORK, 20_000), ...extra });

const downloads = () => sb.requests.filter((r) => r.path.startsWith('/files/'));

/** Serves one image for any path, holding each request `holdMs`; counts connections and the most at once. */
async function imageServer(bytes: Buffer, holdMs = 0) {
  let open = 0;
  const seen = { connections: 0, requests: 0, most: 0 };
  const server = http.createServer((_req, res) => {
    seen.requests++;
    seen.most = Math.max(seen.most, ++open);
    setTimeout(() => {
      open--;
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length });
      res.end(bytes);
    }, holdMs);
  });
  server.on('connection', () => seen.connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

describe('an answer with more images than asked for', () => {
  test('2,000 base64 images for n=1: refused as the second starts, none saved', async () => {
    sb.enqueue({ type: 'tooManyImages', count: 2000 });
    const stages: ProgressEvent[] = [];
    const err = await failure(generateImages(small, opts({ onProgress: (e) => stages.push(e) })));
    assert.match(err.userMessage, /the gateway sent more than 1 image for n=1/);
    assert.equal(err.kind, 'invalidResponse');
    assert.deepEqual(
      stages.filter((s) => s.stage === 'decoding' || s.stage === 'downloading'),
      [],
    );
  });

  test('500 image URLs for n=2: refused before any download', async () => {
    sb.enqueue({ type: 'tooManyImages', count: 500, asUrls: true });
    const err = await failure(generateImages({ ...small, n: 2 }, opts()));
    assert.match(err.userMessage, /the gateway sent 500 images for n=2/);
    assert.deepEqual(downloads(), []);
  });

  test('exactly n images are accepted', async () => {
    sb.enqueue({ type: 'tooManyImages', count: 3 });
    const result = await generateImages({ ...small, n: 3 }, opts());
    assert.equal(result.images.length, 3);
  });

  const taskOpts = () => ({ ...opts(), sleep: async () => {}, pollIntervalMs: 1 });
  const polls = () => sb.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/images/tasks/'));

  test('a task that finishes with more images than asked for is refused', async () => {
    sb.enqueue({ type: 'taskTooMany', count: 2 });
    const err = await failure(generateImagesAsync(small, taskOpts()));
    assert.match(err.userMessage, /the gateway sent more than 1 image for n=1/);
  });

  test('a task that announces a larger n is refused at once, before polling', async () => {
    sb.enqueue({ type: 'taskTooMany', count: 1, announce: 4 });
    const err = await failure(generateImagesAsync({ ...small, n: 2 }, taskOpts()));
    assert.match(err.userMessage, /the gateway sent 4 images for n=2/);
    assert.deepEqual(polls(), []);
  });

  test('a task that announces the n asked for goes on', async () => {
    sb.enqueue({ type: 'taskTooMany', count: 2, announce: 2 });
    const result = await generateImagesAsync({ ...small, n: 2 }, taskOpts());
    assert.equal(result.images.length, 2);
  });
});

describe('downloads', () => {
  test('run at most four at a time, all of them saved in order', async () => {
    const png = await renderImage({ prompt: 'x', width: 64, height: 64, format: 'png', model: 'dall-e-2', index: 0, total: 1 });
    const server = await imageServer(png, 150);
    try {
      sb.enqueue({ type: 'urlOrigin', origin: server.origin });
      const result = await generateImages({ ...small, n: 10 }, opts());
      assert.equal(result.images.length, 10);
      assert.equal(server.seen.requests, 10);
      assert.equal(server.seen.most, 4, 'four downloads at once, never more');
    } finally {
      await server.close();
    }
  });

  test('share one byte cap for the whole answer', async () => {
    const png = await renderImage({ prompt: 'x', width: 256, height: 256, format: 'png', model: 'dall-e-2', index: 0, total: 1 });
    const server = await imageServer(png);
    try {
      sb.enqueue({ type: 'urlOrigin', origin: server.origin });
      const limit = Math.floor(png.length * 2.5);
      const err = await failure(generateImages({ ...small, n: 3 }, opts({ maxAnswerBytes: limit })));
      assert.match(err.userMessage, /together are larger than the \d+ MB limit/);
      assert.equal(err.kind, 'tooLarge');
      // Each image alone fits: the same three under a cap of three pass.
      sb.enqueue({ type: 'urlOrigin', origin: server.origin });
      const ok = await generateImages({ ...small, n: 3 }, opts({ maxAnswerBytes: png.length * 3 }));
      assert.equal(ok.images.length, 3);
    } finally {
      await server.close();
    }
  });

  test('base64 images share the cap too', async () => {
    const one = (await generateImages(small, opts())).images[0]!.bytes.length;
    const err = await failure(generateImages({ ...small, n: 2 }, opts({ maxAnswerBytes: Math.floor(one * 1.5) })));
    assert.match(err.userMessage, /together are larger than/);
  });
});

describe('image URL addresses', () => {
  /** A resolver for made-up names; nothing reaches the system's DNS. */
  const resolver =
    (names: Record<string, string>): Resolver =>
    async (host) => {
      const address = names[host];
      if (!address) throw Object.assign(new Error(`unknown test host ${host}`), { code: 'ENOTFOUND' });
      return [{ address, family: address.includes(':') ? 6 : 4 }];
    };

  async function fetchWith(guard: AddressGuard, url: string) {
    const deadline = startDeadline(5000);
    try {
      return await downloadImage(url, { deadline, maxBytes: 1e6, guard, transport: NETWORK.images });
    } finally {
      deadline.dispose();
    }
  }

  test('a name resolving to this computer is refused for a public gateway, before any connection', async () => {
    const png = await renderImage({ prompt: 'x', width: 32, height: 32, format: 'png', model: 'dall-e-2', index: 0, total: 1 });
    const server = await imageServer(png);
    try {
      const names = { 'api.example.test': '93.184.216.34', 'images.example.test': '127.0.0.1' };
      const publicGateway = new AddressGuard('api.example.test', resolver(names));
      const err = await failure(fetchWith(publicGateway, `http://images.example.test:${server.port}/a.png`));
      assert.match(err.userMessage, /on this computer, images\.example\.test \(127\.0\.0\.1\); it was not downloaded/);
      const literal = await failure(fetchWith(publicGateway, `http://127.0.0.1:${server.port}/a.png`));
      assert.match(literal.userMessage, /on this computer, 127\.0\.0\.1;/);
      const mapped = await failure(fetchWith(publicGateway, `http://[::ffff:127.0.0.1]:${server.port}/a.png`));
      assert.match(mapped.userMessage, /on this computer/);
      assert.equal(server.seen.connections, 0, 'no connection was made');
      // The same URL from a gateway on this computer is fetched.
      const localGateway = new AddressGuard('127.0.0.1', resolver(names));
      const got = await fetchWith(localGateway, `http://images.example.test:${server.port}/a.png`);
      assert.equal(got.status, 200);
      assert.equal(server.seen.connections, 1);
    } finally {
      await server.close();
    }
  });

  test('with a resolver, a localhost name is checked as resolved like any other name', async () => {
    // A search domain or a forwarding resolver can send x.localhost elsewhere; only a browser (no resolver) trusts the name.
    const guard = new AddressGuard('localhost', resolver({ localhost: '127.0.0.1', 'x.localhost': '10.0.0.7' }));
    const err = await failure(fetchWith(guard, 'http://x.localhost:9/a.png'));
    assert.match(err.userMessage, /private network address, x\.localhost \(10\.0\.0\.7\)/);
  });

  test('a redirect is checked like the first URL', async () => {
    const png = await renderImage({ prompt: 'x', width: 32, height: 32, format: 'png', model: 'dall-e-2', index: 0, total: 1 });
    const target = await imageServer(png);
    const hop = http.createServer((_req, res) => (res.writeHead(302, { location: `http://private.test:${target.port}/b.png` }), res.end()));
    await new Promise<void>((r) => hop.listen(0, '127.0.0.1', r));
    try {
      const guard = new AddressGuard('127.0.0.1', resolver({ 'private.test': '10.0.0.7' }));
      const err = await failure(fetchWith(guard, `http://127.0.0.1:${(hop.address() as AddressInfo).port}/a.png`));
      assert.match(err.userMessage, /private network address, private\.test \(10\.0\.0\.7\)/);
      assert.equal(target.seen.connections, 0);
    } finally {
      hop.close();
      await target.close();
    }
  });

  test("where a browser's redirect ended is checked like a redirect followed here", async () => {
    // A browser (no resolver) for a public gateway; its fetch followed the CDN's redirect before we saw it.
    const guard = new AddressGuard('api.example.test');
    const landedAt =
      (url: string): Transport =>
      async () => ({ status: 200, headers: {}, body: new Uint8Array([1, 2, 3]), url });
    const from = 'https://cdn.example.test/a.png';
    const fetchVia = async (transport: Transport) => {
      const deadline = startDeadline(5000);
      try {
        return await downloadImage(from, { deadline, maxBytes: 1e6, guard, transport });
      } finally {
        deadline.dispose();
      }
    };
    assert.match((await failure(fetchVia(landedAt('http://cdn.example.test/a.png')))).userMessage, /from https to plain http/);
    assert.match((await failure(fetchVia(landedAt('https://10.0.0.7/a.png')))).userMessage, /private network address, 10\.0\.0\.7/);
    assert.match((await failure(fetchVia(landedAt('https://localhost/a.png')))).userMessage, /on this computer, localhost/);
    assert.match((await failure(fetchVia(landedAt('https://img.localhost./a.png')))).userMessage, /on this computer/);
    const fine = await fetchVia(landedAt('https://other-cdn.example.test/b.png'));
    assert.equal(fine.url, 'https://other-cdn.example.test/b.png');
  });

  test('the gateway sandbox on 127.0.0.1 keeps its own image URLs', async () => {
    const result = await generateImages(small, { ...opts(), baseUrl: urlSb.baseUrl });
    assert.equal(result.images.length, 1);
  });

  test('through the client: a URL naming a host mapped to a private address is refused', async () => {
    sb.enqueue({ type: 'urlOrigin', origin: `http://images.test:${sb.port}` });
    const err = await failure(generateImages(small, opts({ network: nodeNetwork(resolver({ 'images.test': '10.0.0.7' })) })));
    assert.match(err.userMessage, /private network address, images\.test \(10\.0\.0\.7\)/);
    assert.deepEqual(downloads(), []);
  });

  test('redirects never go from https to plain http', () => {
    const from = new URL('https://cdn.example.test/a.png');
    assert.throws(() => checkScheme('http://cdn.example.test/a.png', true, from), /from https to plain http/);
    assert.doesNotThrow(() => checkScheme('https://other.example.test/a.png', true, from));
    assert.doesNotThrow(() => checkScheme('https://cdn.example.test/a.png', true, new URL('http://cdn.example.test/')));
  });
});
