// Runs the sandbox gateway until Ctrl-C:
//   node out/tools/sandbox/cli.js [--port N] [--key K] [--format url|b64_json] [--latency MS] [--stream-delay MS]
// The pause between streamed events defaults to SANDBOX_STREAM_DELAY_MS, else 700 ms, so previews can be watched.
import { startSandbox, type SandboxOptions } from './server';

const DEFAULT_PORT = 8790;
const DEFAULT_STREAM_DELAY_MS = 700;

function milliseconds(text: string, name: string): number {
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`${name} is a whole number of milliseconds, not ${text}`);
  return ms;
}

function parseArgs(argv: string[]): SandboxOptions {
  const env = process.env.SANDBOX_STREAM_DELAY_MS;
  const opts: SandboxOptions = {
    port: DEFAULT_PORT,
    streamDelayMs: env ? milliseconds(env, 'SANDBOX_STREAM_DELAY_MS') : DEFAULT_STREAM_DELAY_MS,
  };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    const need = () => {
      if (value === undefined) throw new Error(`${argv[i]} needs a value`);
      i++;
      return value;
    };
    switch (argv[i]) {
      case '--port':
        opts.port = Number(need());
        break;
      case '--key':
        opts.key = need();
        break;
      case '--format': {
        const format = need();
        if (format !== 'url' && format !== 'b64_json') throw new Error('--format is url or b64_json');
        opts.responseFormat = format;
        break;
      }
      case '--latency':
        opts.latencyMs = Number(need());
        break;
      case '--stream-delay':
        opts.streamDelayMs = milliseconds(need(), '--stream-delay');
        break;
      default:
        throw new Error(`Unknown option ${argv[i]}. Options: --port N --key K --format url|b64_json --latency MS --stream-delay MS`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const sandbox = await startSandbox(opts);
  const origin = sandbox.baseUrl.replace(/\/v1$/, '');
  console.log(`GPT Image sandbox gateway
  base URL: ${sandbox.baseUrl}
  API key:  ${sandbox.key}
  faults:   POST ${origin}/__sandbox/faults  {"type":"status","status":500}  (see tools/sandbox/faults.ts)
            POST ${origin}/__sandbox/reset, GET ${origin}/__sandbox/requests
  streams:  ${opts.streamDelayMs} ms between events; POST ${origin}/__sandbox/pace  {"ms":0}
Press Ctrl-C to stop.`);
  process.once('SIGINT', () => {
    void sandbox.close().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
