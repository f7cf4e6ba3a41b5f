/**
 * Runs the Mocha suites of test/integration inside a real VS Code extension host: code-server's,
 * opened by headless Chromium, the offline twin of what `npm run test:electron` does with a
 * downloaded VS Code. The workbench reports the suites' exit code through codeAutomationExit.
 *
 * One pass per workspace: the sample workspace for the suites, then an "attacker" workspace whose
 * settings point gptImage.baseUrl at a server of ours, opened untrusted and trusted, and a window
 * with no folder open.
 * The passes run on each VS Code version GPT_IMAGE_VSCODE selects (test/tooling/vscodeTargets.ts).
 * The endurance pass runs last on the oldest version; `--endurance` runs it alone.
 * Figures of all passes go to reliability.json, one per version.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { WEB_EXIT_LINE } from './webExitLine';
import { launchBrowser } from './browser';
import { browserOnlyCopy } from './browserOnly';
import { startCodeServer } from './codeServer';
import { ROOT } from './paths';
import { makeTestCertificate } from './tls';
import { resultsDir, selectedTargets, type VsCodeTarget } from './vscodeTargets';
import { freshWorkspace } from './workspace';
import { installInBackground } from './installVsCode';

const TIME_LIMIT_MS = 25 * 60_000;

interface Pass {
  name: string;
  /** The suite this pass runs (a Mocha grep); the main pass runs whatever the caller's grep selects. */
  suite?: string;
  trust?: boolean;
  /** false: an empty window, no folder open. */
  folder?: false;
  /** User settings for this pass, beside the base ones. */
  settings?: Record<string, unknown>;
  /** The display language, when not English. */
  locale?: string;
  /** Writes pass-specific files into the fresh workspace; returns env for the extension host and user settings. */
  prepare?: (workspace: string) => Promise<{ env?: NodeJS.ProcessEnv; settings?: Record<string, unknown> }>;
  /** Checks made from outside the editor once the pass is over; returns problems. */
  verify?: () => string[];
  /** Runs our extension in the browser's extension host, with test/web's suites. */
  web?: true;
  /** Loads the test extension with a chat model (test/fixtures/chat-model) beside ours. */
  chatModel?: boolean;
}

/** The test chat model's id: its proposed API has to be enabled for it by name. */
const CHAT_MODEL_ID = 'gpt-image-studio-tests.test-chat-model';

/**
 * Installs the test chat model (test/fixtures/chat-model, built into out/) into a fresh extensions folder, as an
 * installed extension: the web workbench takes one development extension only, and that is ours.
 */
function extensionsWithChatModel(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpt-image-ext-'));
  const target = path.join(dir, `${CHAT_MODEL_ID}-0.0.1`);
  fs.mkdirSync(target);
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'chat-model', 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify({ ...manifest, main: './extension.js' }));
  fs.copyFileSync(path.join(ROOT, 'out', 'test', 'fixtures', 'chat-model', 'extension.js'), path.join(target, 'extension.js'));
  return dir;
}

/** What the attacker workspace asks of every request (test/integration/trust.test.ts reads it back from the file). */
const HOSTILE_REQUEST = {
  'gptImage.model': 'gpt-image-2-origin',
  'gptImage.n': 10,
  'gptImage.quality': 'high',
  'gptImage.size': '3840x2160',
  'gptImage.askForSize': false,
  'gptImage.mode': 'async',
  'gptImage.confirmAbove': 0,
  'gptImage.prices': { 'gpt-image-2-origin': { '1K': 0, '2K': 0, '4K': 0 } },
  // Previews cost output tokens; the rest change what is made; the last two are the user's alone.
  'gptImage.previews': '3',
  'gptImage.background': 'opaque',
  'gptImage.moderation': 'low',
  'gptImage.outputCompression': 10,
  'gptImage.streamingModels': ['gpt-image-2-origin'],
  'gptImage.user': 'attacker-chosen-id',
};

function attackerPass(name: string, trust: boolean): Pass {
  let attacker: Sandbox | undefined;
  return {
    name,
    suite: 'Reliability: attacker workspace',
    trust,
    prepare: async (workspace) => {
      attacker = await startSandbox({ key: 'attacker' });
      fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
      // A symbolic link as a repository can commit it, pointing beside the workspace, and Markdown rules
      // that try to leave the workspace or choose a whole file name.
      const outside = path.join(path.dirname(workspace), 'outside');
      fs.mkdirSync(outside, { recursive: true });
      fs.mkdirSync(path.join(workspace, 'docs'), { recursive: true });
      fs.symlinkSync('../../outside', path.join(workspace, 'docs', 'assets'));
      const settings = {
        'gptImage.baseUrl': attacker.baseUrl,
        'gptImage.outputFolder': '../stolen',
        'gptImage.timeoutSeconds': 10,
        'markdown.copyFiles.destination': {
          '**/link-*.md': 'assets/${fileName}',
          '**/named-*.md': '/docs/pictures/evil.desktop',
          '**/backslash-*.md': '..\\..\\..\\Users\\Public\\evil.bat',
          '**/drive-*.md': 'C:\\Users\\Public\\evil.bat',
        },
        // One click made expensive: many large high-quality images, no size question, no cost question.
        ...HOSTILE_REQUEST,
      };
      fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
      return { env: { GPT_IMAGE_ATTACKER_URL: attacker.baseUrl, GPT_IMAGE_OUTSIDE: outside } };
    },
    verify: () => {
      const heard = attacker?.requests ?? [];
      void attacker?.close();
      return heard.map(
        (r) => `the attacker received ${r.method} ${r.path} (authorization: ${r.headers.authorization ? 'present' : 'absent'})`,
      );
    },
  };
}

const WEB_SUITES = path.join('out', 'test', 'web');

/** The extension as the web pass opens it (see browserOnlyCopy), with the suites: the workbench runs them in the host of the extension whose folder holds them. */
function browserOnlyExtension(): string {
  const dir = browserOnlyCopy(ROOT, (entry) => ['dist', 'media', 'l10n'].includes(entry) || /^package\.nls(\..+)?\.json$/.test(entry));
  fs.cpSync(path.join(ROOT, WEB_SUITES), path.join(dir, WEB_SUITES), { recursive: true });
  return dir;
}

/**
 * The extension in the browser's extension host, as in vscode.dev (see browserOnlyCopy): it loads
 * dist/web/extension.js, and its suites are test/web's bundle. Its sandbox answers browsers (CORS); the key reaches the suites as
 * a setting of the test profile, since a web worker has no environment.
 */
function webPass(): Pass {
  let sandbox: Sandbox | undefined;
  return {
    name: 'web',
    suite: 'Web extension host',
    web: true,
    prepare: async () => {
      sandbox = await startSandbox({ key: 'sk-web-pass' });
      return { settings: { 'gptImage.baseUrl': sandbox.baseUrl, 'gptImageTests.sandboxKey': sandbox.key } };
    },
    verify: () => {
      const fromBrowser = (sandbox?.requests ?? []).some((r) => typeof r.headers.origin === 'string');
      void sandbox?.close();
      return fromBrowser ? [] : ['the web pass sent the sandbox no request from a browser'];
    },
  };
}

const ENDURANCE: Pass = { name: 'endurance', suite: 'Endurance' };

const PASSES: Pass[] = process.argv.includes('--endurance')
  ? [ENDURANCE]
  : [
      {
        name: 'main',
        // Image URLs served over https by the suites (answerLimits.test.ts) need a certificate the extension host trusts.
        // VS Code's own certificate loading would replace Node's store, which holds the test certificate.
        settings: { 'http.systemCertificates': false },
        chatModel: true,
        prepare: async () => {
          const tls = makeTestCertificate();
          return { env: { NODE_EXTRA_CA_CERTS: tls.cert, GPT_IMAGE_TLS_KEY: tls.key, GPT_IMAGE_TLS_CERT: tls.cert } };
        },
      },
      attackerPass('attacker-untrusted', false),
      attackerPass('attacker-trusted', true),
      { name: 'no-folder', suite: 'Reliability: no workspace open', folder: false },
      { name: 'zh-cn', suite: 'Localised: Chinese UI', locale: 'zh-cn' },
      webPass(),
      // Last: it checks memory and leftovers, not time, so the newer version's install running beside it costs nothing.
      ENDURANCE,
    ];

async function runPass(browser: Browser, target: VsCodeTarget, pass: Pass, grep: string | undefined): Promise<number> {
  const workspace = freshWorkspace();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpt-image-profile-'));
  const results = resultsDir(target);
  const env = {
    GPT_IMAGE_PASS: pass.name,
    GPT_IMAGE_RESULTS: results,
    GPT_IMAGE_VSCODE_EXPECTED: target.name,
    GPT_IMAGE_USER_SETTINGS: path.join(userDataDir, 'User', 'settings.json'),
    ...(pass.suite ? { GPT_IMAGE_TEST_GREP: pass.suite } : grep ? { GPT_IMAGE_TEST_GREP: grep } : {}),
  };
  const setup = await pass.prepare?.(workspace);
  Object.assign(env, setup?.env);
  const log = path.join(results, pass.name === 'main' ? 'integration-code-server.log' : `integration-${pass.name}-code-server.log`);
  const server = await startCodeServer({
    workspace,
    target,
    extensionTests: true,
    userDataDir,
    trust: pass.trust,
    env,
    log,
    settings: { ...pass.settings, ...setup?.settings },
    locale: pass.locale,
    ...(pass.chatModel ? { extensionsDir: extensionsWithChatModel(), enableProposedApi: [CHAT_MODEL_ID] } : {}),
  });
  const page = await browser.newPage();
  try {
    let exited: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => {
      exited = resolve;
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = format(...(args as [unknown, ...unknown[]]));
      // Only a clean "0" passes: a line cut short or garbled is a failure, not a success.
      if (pass.web && text.startsWith(WEB_EXIT_LINE)) exited(text.slice(WEB_EXIT_LINE.length).trim() === '0' ? 0 : 1);
      // The workbench forwards every console line; keep the suites' own output, drop its noise.
      if (WORKBENCH_NOISE.test(text)) return;
      if (type === 'error' && !FOREIGN_ERRORS.test(text)) console.error(text);
      else if (type === 'log' || type === 'info') console.log(text);
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const extension = pass.web ? browserOnlyExtension() : ROOT;
    const suites = pass.web ? WEB_SUITES : path.join('out', 'test', 'integration');
    const payload = [
      ['extensionDevelopmentPath', remote(extension)],
      ['extensionTestsPath', remote(path.join(extension, suites, 'index'))],
      ['skipWelcome', 'true'],
    ];
    const open = pass.folder === false ? 'ew=true' : `folder=${encodeURIComponent(workspace)}`;
    const url = `${server.url}/?${open}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    console.log(`\n— VS Code ${target.name}, pass ${pass.name} —`);
    await page.goto(url);
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        console.error(`Integration tests did not finish within ${TIME_LIMIT_MS / 60_000} minutes.`);
        resolve(1);
      }, TIME_LIMIT_MS).unref(),
    );
    let code = await Promise.race([exit, timeout]);
    const problems = pass.verify?.() ?? [];
    // A pass whose suite skipped itself (its environment did not arrive) proves nothing.
    if (pass.suite && !pass.web && !fs.existsSync(figuresFile(results, pass.name))) problems.push(`pass ${pass.name} recorded no figures`);
    for (const p of problems) console.error(`✘ ${p}`);
    if (problems.length) code = 1;
    return code;
  } finally {
    await page.close();
    await server.stop();
  }
}

/** Console lines of the workbench itself, not of the suites. */
const WORKBENCH_NOISE =
  /^(Resolv(ing|ed) connection token|Creating a socket|Updating additional builtin|\[Service Worker\]|ChatSessionStore|\[(AgentHost|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|lifecycle)\b)/;
/** Errors that are not ours: offline, the gallery and (in newer versions) the GitHub sign-in for chat fail. */
const FOREIGN_ERRORS = /open-vsx|service worker|Failed to load resource|trust the authors|authentication provider 'github'/i;

const figuresFile = (results: string, pass: string) => path.join(results, `reliability.${pass}.json`);

/** Sums the passes' figures (the last run of each) into reliability.json. */
function mergeFigures(results: string): void {
  const passes: Record<string, { date: string; figures: Record<string, number> }> = {};
  for (const f of fs.readdirSync(results)) {
    const m = /^reliability\.(.+)\.json$/.exec(f);
    if (m) passes[m[1]!] = JSON.parse(fs.readFileSync(path.join(results, f), 'utf8'));
  }
  const totals: Record<string, number> = {};
  for (const p of Object.values(passes)) for (const [k, v] of Object.entries(p.figures)) totals[k] = (totals[k] ?? 0) + v;
  fs.writeFileSync(path.join(results, 'reliability.json'), JSON.stringify({ date: new Date().toISOString(), totals, passes }, null, 2));
}

/**
 * The passes a version runs. With both versions selected the newest runs only the main pass, which
 * holds nearly all suites, and the web pass; the extra passes (workspace and window setups, endurance) run on the oldest.
 */
function passesOn(target: VsCodeTarget, targets: VsCodeTarget[], selected: string | undefined): Pass[] {
  // The extra passes run when nothing is selected, or when the selection names their suite.
  const passes = PASSES.filter((p) => !selected || !p.suite || p.suite.includes(selected));
  return targets.length > 1 && target !== targets[0] ? passes.filter((p) => NEWEST_TOO.has(p.name)) : passes;
}

const NEWEST_TOO = new Set(['main', 'web']);

async function main(): Promise<number> {
  const grep = process.env.GPT_IMAGE_TEST_GREP;
  const selected = grep ?? process.env.GPT_IMAGE_TEST_REGEX;
  const targets = selectedTargets();
  const browser = await launchBrowser();
  // The newer versions install at the lowest priority while the oldest's passes run (see installVsCode.ts).
  const installs = new Map<VsCodeTarget, Promise<void>>();
  for (const t of targets.slice(1)) {
    const install = installInBackground(t);
    install.catch(() => undefined); // awaited (and reported) when its version's turn comes
    installs.set(t, install);
  }
  let code = 0;
  try {
    for (const target of targets) {
      await installs.get(target);
      const results = resultsDir(target);
      fs.mkdirSync(results, { recursive: true });
      const passes = passesOn(target, targets, selected);
      if (passes.length === 0) continue;
      for (const p of passes) fs.rmSync(figuresFile(results, p.name), { force: true });
      for (const pass of passes) {
        const started = Date.now();
        code = Math.max(code, await runPass(browser, target, pass, grep));
        console.log(`(VS Code ${target.name}, pass ${pass.name}: ${Math.round((Date.now() - started) / 1000)} s)`);
      }
      mergeFigures(results);
    }
  } finally {
    await browser.close();
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
