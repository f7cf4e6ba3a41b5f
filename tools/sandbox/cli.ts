// Runs the sandbox gateway until Ctrl-C:
//   node out/tools/sandbox/cli.js [--port N] [--key K] [--format url|b64_json] [--latency MS]
import { startSandbox, type SandboxOptions } from './server';

const DEFAULT_PORT = 8790;

function parseArgs(argv: string[]): SandboxOptions {
  const opts: SandboxOptions = { port: DEFAULT_PORT };
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
      default:
        throw new Error(`Unknown option ${argv[i]}. Options: --port N --key K --format url|b64_json --latency MS`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox(parseArgs(process.argv.slice(2)));
  const origin = sandbox.baseUrl.replace(/\/v1$/, '');
  console.log(`GPT Image sandbox gateway
  base URL: ${sandbox.baseUrl}
  API key:  ${sandbox.key}
  faults:   POST ${origin}/__sandbox/faults  {"type":"status","status":500}  (see tools/sandbox/faults.ts)
            POST ${origin}/__sandbox/reset, GET ${origin}/__sandbox/requests
Press Ctrl-C to stop.`);
  process.once('SIGINT', () => {
    void sandbox.close().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
