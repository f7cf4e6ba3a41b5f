/**
 * Drives the real code-server workbench in headless Chromium as a person would, with the
 * extension installed from the packaged .vsix and pointed at a local sandbox gateway.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { launchBrowser } from '../tooling/browser';
import { browserOnlyCopy } from '../tooling/browserOnly';
import { installExtension, startCodeServer, workbenchUrl, type RunningCodeServer } from '../tooling/codeServer';
import { CACHE, RESULTS, vsixPath } from '../tooling/paths';
import { workbenchTarget } from '../tooling/vscodeTargets';
import { freshWorkspace } from '../tooling/workspace';

export interface Workbench {
  page: Page;
  sandbox: Sandbox;
  workspace: string;
  server: RunningCodeServer;
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

let extensionsDir: string | undefined;

/**
 * The packaged .vsix installed once per build of it and VS Code version, in the cache: the UI test files each run in
 * a process of their own, and installing it for each took about 2.5 s. The workbenches only read the folder.
 */
function installedExtensions(): string {
  if (!extensionsDir) {
    const vsix = vsixPath();
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first.`);
    const parent = path.join(CACHE, 'ui-extensions');
    const hash = createHash('sha256').update(fs.readFileSync(vsix)).digest('hex').slice(0, 16);
    const name = `${workbenchTarget().name}-${hash}`;
    const dir = path.join(parent, name);
    if (!fs.existsSync(path.join(dir, '.installed'))) {
      // Older builds' folders go: only the current one is ever used again.
      fs.rmSync(parent, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      installExtension(vsix, dir);
      fs.writeFileSync(path.join(dir, '.installed'), vsix);
    }
    extensionsDir = dir;
  }
  return extensionsDir;
}

/** The folder the .vsix was installed into. */
function installedExtension(): string {
  const dir = installedExtensions();
  const [folder] = fs.readdirSync(dir).filter((f) => f.startsWith('gpt-image-studio.gpt-image-studio-'));
  if (!folder) throw new Error(`the .vsix was not installed into ${dir}`);
  return path.join(dir, folder);
}

export async function openWorkbench(
  suite: string,
  options: {
    settings?: Record<string, unknown>;
    theme?: string;
    files?: Record<string, Uint8Array>;
    /** A workspace file to open as text at a line, through the address (as the demo does). */
    openFile?: { name: string; line: number };
    /**
     * 'web': the installed extension runs in the browser's extension host, as in vscode.dev: a copy of it
     * with only its `browser` entry is loaded instead (see browserOnlyCopy).
     */
    host?: 'web';
  } = {},
): Promise<Workbench> {
  const shots = path.join(RESULTS, 'ui', suite);
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  const sandbox = await startSandbox();
  const workspace = freshWorkspace();
  // Written before the workbench starts, so the Explorer lists them at once.
  for (const [name, bytes] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    fs.writeFileSync(path.join(workspace, name), bytes);
  }
  const server = await startCodeServer({
    workspace,
    extensionsDir: options.host === 'web' ? fs.mkdtempSync(path.join(os.tmpdir(), 'gpt-image-ui-none-')) : installedExtensions(),
    // A development extension from the address needs what extension tests need of newer workbenches.
    extensionTests: options.host === 'web',
    settings: {
      'gptImage.baseUrl': sandbox.baseUrl,
      ...(options.theme ? { 'workbench.colorTheme': options.theme } : {}),
      ...options.settings,
    },
    log: path.join(shots, 'code-server.log'),
  });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const open = options.openFile && { path: path.join(workspace, options.openFile.name), line: options.openFile.line };
    const web = options.host === 'web' ? browserOnlyCopy(installedExtension()) : undefined;
    await page.goto(workbenchUrl(server.url, workspace, open, web));
    await workbenchReady(page);
    let step = 0;
    const b = browser;
    return {
      page,
      sandbox,
      workspace,
      server,
      async shot(name: string) {
        step++;
        const file = path.join(shots, `${String(step).padStart(2, '0')}-${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async close() {
        await b.close();
        await server.stop();
        await sandbox.close();
      },
    };
  } catch (err) {
    await browser?.close();
    await server.stop();
    await sandbox.close();
    throw err;
  }
}

/**
 * Waits, after a load or reload, until a person could use the extension: the workbench has restored its
 * layout (the status bar) and has registered the installed extensions (our activity-bar item). Until then
 * its menus lack our entries and its theme is the fallback; on a busy machine VS Code 1.139 gets there
 * half a minute after its status bar.
 */
export async function workbenchReady(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar .action-label[aria-label^="GPT Image"]').waitFor({ timeout: 120_000 });
  await page.waitForTimeout(1500);
}

/** Opens a file of the workspace through Quick Open, as a person would. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await quickInput(page).locator('input').fill(name);
  // The first file search of a fresh server takes a moment: wait for the match, then open it.
  await quickInput(page).locator('.monaco-list-row', { hasText: name }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
}

export function quickInput(page: Page) {
  return page.locator('.quick-input-widget');
}

/**
 * The key is asked for at the first request of a fresh workbench, and may be asked again after a reload (code-server
 * keeps secrets per browser session). Gives it if asked; `then` is what shows when it is not (in any frame).
 */
export async function enterKeyIfAsked(page: Page, key: string, then: Locator): Promise<void> {
  const password = quickInput(page).locator('input[type="password"]');
  const shown = (l: Locator, value: boolean) => appears(l, 60_000).then((seen) => (seen ? value : undefined));
  const [key$, then$] = [shown(password, true), shown(then, false)];
  // The first to show decides; a wait that timed out defers to the other.
  const asked = await Promise.race([key$.then((v) => v ?? then$), then$.then((v) => v ?? key$)]);
  if (asked === undefined) throw new Error(`neither the key prompt nor ${String(then)} showed in 60 s.\n${await whatShows(page)}`);
  if (asked) {
    await password.fill(key);
    await page.keyboard.press('Enter');
  }
}

/** Whether `what` shows within the time; any failure but the timeout (a closed page, an ambiguous locator) is thrown. */
async function appears(what: Locator, timeoutMs: number): Promise<boolean> {
  try {
    await what.waitFor({ timeout: timeoutMs });
    return true;
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') return false;
    throw err;
  }
}

/** Waits for `what` to show; failing, the message says what showed instead (whatShows). */
export async function shows(page: Page, what: Locator, timeoutMs: number): Promise<void> {
  if (!(await appears(what, timeoutMs)))
    throw new Error(`${String(what)} did not show in ${timeoutMs / 1000} s.\n${await whatShows(page)}`);
}

/**
 * What a person would see when a wait failed: notifications, dialogs, the quick input and every job card of every
 * webview, for the failure's message (CI keeps only the output), with a screenshot beside the suite's.
 */
export async function whatShows(page: Page): Promise<string> {
  const texts = async (frame: Frame | Page, selector: string) =>
    (
      await frame
        .locator(selector)
        .allInnerTexts()
        .catch(() => [] as string[])
    )
      .map((t) => t.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
  const lines = [
    ...(await texts(page, '.notifications-toasts .notification-toast')).map((t) => `notification: ${t}`),
    ...(await texts(page, '.monaco-dialog-box')).map((t) => `dialog: ${t}`),
    ...(await texts(page, '.quick-input-widget:visible')).map((t) => `quick input: ${t}`),
  ];
  for (const frame of page.frames()) lines.push(...(await texts(frame, '.job-list li')).map((t) => `job card: ${t}`));
  const file = path.join(RESULTS, 'ui', `failure-${Date.now()}.png`);
  await page.screenshot({ path: file }).catch(() => undefined);
  return [...lines, `screenshot: ${file}`].join('\n');
}

/**
 * Runs a command from the palette by its title ("GPT Image: Generate Image"). Right after a
 * (re)load the palette may not list extension commands yet, so it looks again a few times.
 * Returns when Enter was pressed, on the browser's clock (ms since the epoch, as `performance.timeOrigin + now()`).
 */
export async function runCommand(page: Page, title: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = quickInput(page).locator('input');
    try {
      // A webview that has just loaded may take the focus back, closing the palette: then it is opened again.
      await input.fill(`>${title}`, { timeout: 10_000 });
      await quickInput(page).locator('.monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      const pressed = await page.evaluate(() => performance.timeOrigin + performance.now());
      await page.keyboard.press('Enter');
      return pressed;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (attempt === 4) throw err;
    }
  }
}

/** Selects one whole line of the active editor with the keyboard. */
export async function selectLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  // Go to Line is Quick Open in ':' mode; filling the box must keep the prefix.
  await quickInput(page).locator('input').fill(`:${line}`);
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
}

export async function editorText(page: Page): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

/** The frame of a webview whose document has the given selector (webviews sit two iframes deep); undefined at the timeout. */
export async function findWebviewFrame(page: Page, selector: string, timeoutMs: number, pollMs = 250): Promise<Frame | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (
        await frame
          .locator(selector)
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return undefined;
}

export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const frame = await findWebviewFrame(page, selector, timeoutMs);
  if (!frame) throw new Error(`no webview frame has ${selector}`);
  return frame;
}
