// A hostile gateway's answer in the real extension host: more images than asked for, image URLs that
// name a host mapped to a private address, and an https image URL that redirects to plain http.
// Each must end with a clear message, nothing written, the editor unchanged.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestApi } from '../../src/extension';
import type { Sandbox } from '../../tools/sandbox/server';
import { generate, reliabilitySuite, Scene } from './reliability';
import { tried } from './tally';
import { systemResolver } from '../../src/core/transport.node';

const TLS = process.env.GPT_IMAGE_TLS_KEY && process.env.GPT_IMAGE_TLS_CERT;

describe('Reliability: answer limits and image URL addresses', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sandbox: Sandbox;
  reliabilitySuite(
    (a, s) => {
      api = a;
      sandbox = s;
    },
    { eachTest: true },
  );
  afterEach(() => {
    api.services.network.resolver = systemResolver;
  });

  const downloads = () => sandbox.requests.filter((r) => r.path.startsWith('/files/'));

  it('2,000 images for n=1 are refused, none saved', async () => {
    tried('faults', 'answer with 2,000 images for n=1');
    sandbox.enqueue({ type: 'tooManyImages', count: 2000 });
    const scene = await Scene.open(api, sandbox, 'many.md');
    await scene.failed(await generate(api), { message: /the gateway sent more than 1 image for n=1/ });
  });

  it('500 image URLs for n=1 are refused before any download', async () => {
    tried('faults', 'answer with 500 image URLs for n=1');
    sandbox.enqueue({ type: 'tooManyImages', count: 500, asUrls: true });
    const scene = await Scene.open(api, sandbox, 'many-urls.md');
    await scene.failed(await generate(api), { message: /the gateway sent 500 images for n=1/ });
    assert.deepEqual(downloads(), []);
  });

  it('an image URL whose host resolves to a private address is refused before connecting', async () => {
    tried('faults', 'image URL host resolved to a private address');
    const looked: string[] = [];
    api.services.network.resolver = async (host) => {
      looked.push(host);
      return [{ address: '10.0.0.7', family: 4 }];
    };
    sandbox.enqueue({ type: 'urlOrigin', origin: `http://images.test:${sandbox.port}` });
    const scene = await Scene.open(api, sandbox, 'private.md');
    await scene.failed(await generate(api), { message: /private network address, images\.test \(10\.0\.0\.7\); it was not downloaded/ });
    assert.deepEqual(looked, ['images.test'], 'the test resolver decided the address');
    assert.deepEqual(downloads(), []);
  });

  it('the same host resolved to the gateway’s own loopback address is fetched', async () => {
    tried('faults', 'image URL host resolved to the gateway’s loopback address');
    api.services.network.resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    sandbox.enqueue({ type: 'urlOrigin', origin: `http://images.test:${sandbox.port}` });
    const scene = await Scene.open(api, sandbox, 'loopback.md');
    await scene.succeeded(await generate(api), 1);
    assert.equal(downloads().length, 1);
  });

  describe('over https', () => {
    let server: https.Server;
    let origin = '';
    let downgrade = true;
    const heard: string[] = [];

    before(async function () {
      if (!TLS) return this.skip();
      const tls = { key: fs.readFileSync(process.env.GPT_IMAGE_TLS_KEY!), cert: fs.readFileSync(process.env.GPT_IMAGE_TLS_CERT!) };
      // An https image host in front of the sandbox: it redirects to plain http, or passes the image on.
      server = https.createServer(tls, (req, res) => {
        heard.push(req.url ?? '');
        const plain = `http://127.0.0.1:${sandbox.port}${req.url}`;
        if (downgrade) return void (res.writeHead(302, { location: plain }), res.end());
        void fetch(plain).then(async (r) => {
          const body = Buffer.from(await r.arrayBuffer());
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'image/png', 'content-length': body.length });
          res.end(body);
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server?.close());
    beforeEach(() => void (heard.length = 0));

    it('an https image URL is fetched (the certificate is trusted)', async () => {
      tried('faults', 'https image URL');
      downgrade = false;
      sandbox.enqueue({ type: 'urlOrigin', origin });
      const scene = await Scene.open(api, sandbox, 'https.md');
      await scene.succeeded(await generate(api), 1);
      assert.equal(heard.length, 1);
    });

    it('a redirect from https to plain http is not followed', async () => {
      tried('faults', 'image URL redirecting from https to http');
      downgrade = true;
      sandbox.enqueue({ type: 'urlOrigin', origin });
      const scene = await Scene.open(api, sandbox, 'downgrade.md');
      await scene.failed(await generate(api), { message: /redirected from https to plain http; it was not followed/ });
      assert.equal(heard.length, 1, 'the https host was asked');
      assert.deepEqual(downloads(), [], 'the plain http URL was never fetched');
    });
  });
});
