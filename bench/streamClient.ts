// Our client on a streamed answer, in a fresh process: `latency` times each first partial image from
// the gateway's stamp to the moment it reaches the view, decoded and checked; `memory` is the peak
// RSS of one generation, streamed or not, written to files as in the client comparison.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateImages } from '../src/core/client';
import { resetPeak } from './peak';
import { PROMPT } from './workloads';
import { nodeNetwork } from '../src/core/transport.node';

const NETWORK = nodeNetwork();

export interface StreamJob {
  baseUrl: string;
  mode: 'latency' | 'memory';
  size: string;
  n: number;
  /** Partial images per image; 0 with `stream` false is the ordinary answer. */
  partials: number;
  stream: boolean;
  runs: number;
}

export interface StreamResult {
  /** latency: ms per run. */
  latencies: number[];
  decodedBytes: number;
  startRss: number;
  peakRss: number;
}

const now = () => performance.timeOrigin + performance.now();
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** One generation; with `stream` the request asks for previews (the gateway reads `stream` itself). */
async function once(job: StreamJob, onLatency?: (ms: number) => void): Promise<number> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gpt-image-bench-stream-'));
  let stamp = 0;
  let first = 0;
  try {
    // The bench gateway sends its stamp as the request id, which the client logs once the answer is read.
    const result = await generateImages(
      {
        model: 'gpt-image-2',
        prompt: PROMPT,
        size: job.size,
        n: job.n,
        ...(job.stream ? { partialImages: job.partials } : {}),
      },
      {
        baseUrl: job.baseUrl,
        apiKey: 'bench',
        network: NETWORK,
        onLog: (e) => void (e.requestId && (stamp = Number(e.requestId))),
        onPartialImage: (p) => {
          if (p.image === 0 && p.partialIndex === 0) first = now();
        },
      },
    );
    if (first && stamp) onLatency?.(first - stamp);
    let total = 0;
    for (const [i, image] of result.images.entries()) {
      await fs.writeFile(path.join(dir, `${i}.png`), image.bytes);
      total += image.bytes.length;
    }
    return total;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function main(job: StreamJob): Promise<void> {
  if (job.mode === 'latency') {
    const latencies: number[] = [];
    let decodedBytes = 0;
    await once(job); // warm-up
    for (let r = 0; r < job.runs; r++) {
      gc();
      decodedBytes = await once(job, (ms) => latencies.push(ms));
    }
    const result: StreamResult = { latencies, decodedBytes, startRss: 0, peakRss: 0 };
    return void process.send!(result, () => process.exit(0));
  }
  await once({ ...job, size: '256x256', n: 1 });
  gc();
  gc();
  const peak = resetPeak();
  const startRss = process.memoryUsage.rss();
  const decodedBytes = await once(job);
  const result: StreamResult = { latencies: [], decodedBytes, startRss, peakRss: peak() };
  process.send!(result, () => process.exit(0));
}

process.once(
  'message',
  (job: StreamJob) =>
    void main(job).catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    }),
);
