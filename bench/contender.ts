// One contender in a child process of its own, so its peak RSS is its own: request, get the
// bytes, write the files to a temp folder; the parent sends a Job and gets a JobResult back.
import * as fs from 'node:fs/promises';
import http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { generateImages } from '../src/core/client';
import { resetPeak } from './peak';
import { PROMPT, TINY, type Contender, type Job, type MemoryResult, type TimeResult, type Workload } from './workloads';
import { nodeNetwork } from '../src/core/transport.node';

const NETWORK = nodeNetwork();

type Generate = (w: Workload, dir: string, call: number) => Promise<number>;

async function write(dir: string, call: number, index: number, bytes: Uint8Array): Promise<number> {
  await fs.writeFile(path.join(dir, `${call}-${index}.png`), bytes);
  return bytes.length;
}

/**
 * The floor: node:http, JSON.parse, Buffer.from(…, 'base64'), fs.writeFile; nothing else. With
 * `hold`, every image is fetched before any is written, as our client must (no partial results).
 */
function baseline(baseUrl: string, key: string, hold = false): Generate {
  const fetchBody = (url: string, body?: string) =>
    new Promise<Buffer>((resolve, reject) => {
      const headers: Record<string, string | number> = body
        ? { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
        : {};
      const req = http.request(url, { method: body ? 'POST' : 'GET', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`HTTP ${res.statusCode}`))));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return async (w, dir, call) => {
    const body = JSON.stringify({ model: w.model, prompt: PROMPT, size: w.size, n: w.n });
    const answer = JSON.parse((await fetchBody(`${baseUrl}/images/generations`, body)).toString('utf8')) as {
      data: { b64_json?: string; url?: string }[];
    };
    let total = 0;
    const held: Buffer[] = [];
    for (const [i, item] of answer.data.entries()) {
      const bytes = item.b64_json ? Buffer.from(item.b64_json, 'base64') : await fetchBody(item.url!);
      if (hold) held.push(bytes);
      else total += await write(dir, call, i, bytes);
    }
    for (const [i, bytes] of held.entries()) total += await write(dir, call, i, bytes);
    return total;
  };
}

/** The official SDK as its README shows it; URLs are fetched with the global fetch it uses too. */
function sdk(baseUrl: string, key: string): Generate {
  const client = new OpenAI({ baseURL: baseUrl, apiKey: key });
  return async (w, dir, call) => {
    const answer = await client.images.generate({ model: w.model, prompt: PROMPT, size: w.size as '1024x1024', n: w.n });
    let total = 0;
    for (const [i, item] of (answer.data ?? []).entries()) {
      const bytes = item.b64_json ? Buffer.from(item.b64_json, 'base64') : new Uint8Array(await (await fetch(item.url!)).arrayBuffer());
      total += await write(dir, call, i, bytes);
    }
    return total;
  };
}

function ours(baseUrl: string, key: string): Generate {
  return async (w, dir, call) => {
    const result = await generateImages(
      { model: w.model, prompt: PROMPT, size: w.size, n: w.n },
      { baseUrl, apiKey: key, network: NETWORK },
    );
    let total = 0;
    for (const [i, image] of result.images.entries()) total += await write(dir, call, i, image.bytes);
    return total;
  };
}

const FACTORIES: Record<Contender, (baseUrl: string, key: string) => Generate> = {
  baseline,
  sdk,
  ours,
  held: (baseUrl, key) => baseline(baseUrl, key, true),
};

/** One run: all of the workload's calls, into a fresh folder made and removed outside the timing. */
async function run(generate: Generate, w: Workload, timed?: (ms: number) => void): Promise<number> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gpt-image-bench-'));
  try {
    const started = performance.now();
    let total = 0;
    for (let call = 0; call < w.calls; call++) total += await generate(w, dir, call);
    timed?.(performance.now() - started);
    return total;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/**
 * memory: a tiny warm-up, then one run, in this fresh process. time: a warm-up run, then one
 * timed run per "run" message, so the parent can interleave the contenders' runs.
 */
async function main(job: Job): Promise<void> {
  const generate = FACTORIES[job.contender](job.baseUrl, job.key);
  if (job.mode === 'memory') {
    // Only a tiny warm-up: the big buffers of a full one could be reused by the run and hide its cost.
    await run(generate, TINY);
    gc();
    gc();
    const peak = resetPeak();
    const startRss = process.memoryUsage.rss();
    const decodedBytes = await run(generate, job.workload);
    const result: MemoryResult = { decodedBytes, startRss, peakRss: peak() };
    return void process.send!(result, () => process.exit(0));
  }
  await run(generate, job.workload);
  process.on('message', (m: 'run' | 'done') => {
    if (m === 'done') return process.exit(0);
    gc();
    let ms = 0;
    run(generate, job.workload, (t) => (ms = t)).then((decodedBytes) => process.send!({ ms, decodedBytes } satisfies TimeResult), fail);
  });
  process.send!('ready');
}

function fail(err: unknown): never {
  console.error(err);
  process.exit(1);
}

process.once('message', (job: Job) => void main(job).catch(fail));
