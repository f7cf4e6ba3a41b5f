// The sandbox gateways in a process of their own, so neither their memory nor their garbage
// collection lands in a contender's or the orchestrator's numbers.
import { startSandbox } from '../tools/sandbox/server';
import { PROMPT, type Workload } from './workloads';

export interface GatewayInfo {
  b64: { baseUrl: string; key: string };
  url: { baseUrl: string; key: string };
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

async function main(): Promise<void> {
  // Noise images: realistic body sizes, rendered once and then served from memory.
  const b64 = await startSandbox({ noise: true });
  const url = await startSandbox({ noise: true, responseFormat: 'url' });
  process.on('message', (w: Workload) => {
    // One request renders the workload's images; later ones are served from the cache.
    void fetch(`${b64.baseUrl}/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b64.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: w.model, prompt: PROMPT, size: w.size, n: w.n }),
    })
      .then(async (res) => {
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`the sandbox answered ${res.status} for ${w.label}`);
        b64.reset();
        url.reset();
        gc();
        process.send!('ready');
      })
      .catch((err: unknown) => (console.error(err), process.exit(1)));
  });
  process.once('disconnect', () => void Promise.all([b64.close(), url.close()]).then(() => process.exit(0)));
  const info: GatewayInfo = { b64: { baseUrl: b64.baseUrl, key: b64.key }, url: { baseUrl: url.baseUrl, key: url.key } };
  process.send!(info);
}

void main();
