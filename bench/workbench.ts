// The figures only a real workbench gives: the packaged .vsix, activation time as the extension
// logs it, and the sidebar's first paint with a long history, in code-server and headless Chromium.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import type { Frame, Page } from 'playwright-core';
import type { HistoryEntry } from '../src/workspace/history';
import { launchBrowser } from '../test/tooling/browser';
import { installExtension, startCodeServer } from '../test/tooling/codeServer';
import { ROOT } from '../test/tooling/paths';
import { freshWorkspace } from '../test/tooling/workspace';
import { findWebviewFrame, quickInput, runCommand } from '../test/ui/workbench';
import { startSandbox } from '../tools/sandbox/server';

/** One opening of the Image Studio, on the webview document's own clock (from its navigation start). */
export interface SidebarOpen {
  /** When the first history entries were painted (Element Timing), or the polled time if the browser reported none. */
  paintMs: number;
  /** Whether paintMs is the browser's own record (else the poll's upper bound). */
  paintReported: boolean;
  /** The first animation frame the harness saw with an entry in the DOM: an upper bound with the harness's latency in it. */
  polledMs: number;
  /** When the page's document (VS Code's fake.html, then written over) began to be fetched. */
  documentFetchMs: number;
  /** webview.js loaded: what comes before it is VS Code's (the view, the iframe, the resource service worker). */
  scriptLoadedMs: number;
  firstContentfulPaintMs: number;
  commandToVisibleMs: number;
}

/** The studio shown again after another view container hid it. */
export interface SidebarShow {
  /** From the command's Enter to the history on screen, on the browser's clock. */
  showToPaintMs: number;
  /** The hidden page was kept and shown again (retainContextWhenHidden), rather than built anew. */
  samePage: boolean;
}

/** The workbench's memory after a forced GC: the renderer's heaps (JS and DOM) and the browser's processes. */
export interface MemorySnapshot {
  heapBytes: number;
  domNodes: number;
  pssBytes: number;
}

export interface WorkbenchFigures {
  vsixBytes: number;
  activationMs: number;
  /** The first opening of the session, then a few showings after the view was hidden. */
  sidebar?: { first: SidebarOpen; shown: SidebarShow[]; memory: { before: MemorySnapshot; hidden: MemorySnapshot } };
  sidebarTodo?: string;
}

const HISTORY_ENTRIES = 1000;
const EXTENSION_ID = 'gpt-image-studio.gpt-image-studio';

/** `vsce package` runs the production build first, so dist/ is what ships. */
function packageVsix(): string {
  const out = path.join(ROOT, 'bench', 'tmp', 'gpt-image-studio.vsix');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`vsce package failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

/** A history of `count` generations, in the HistoryStore's file format, over a few real images. */
async function seedHistory(userDataDir: string, workspace: string, count: number): Promise<void> {
  const images = path.join(workspace, 'images');
  fs.mkdirSync(images, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < 20; i++) {
    const file = path.join(images, `seed-${i}.png`);
    await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: (i * 37) % 256, g: 90, b: 160 } } })
      .png()
      .toFile(file);
    files.push(file);
  }
  const entries: HistoryEntry[] = Array.from({ length: count }, (_, i) => ({
    id: `bench-${i}`,
    time: Date.now() - i * 60_000,
    prompt: `Benchmark entry ${i}: a lighthouse on a cliff at dawn, watercolor, seen from the sea`,
    model: 'gpt-image-2-origin',
    size: '1024x1024',
    quality: 'medium',
    format: 'png',
    n: 1,
    status: 'succeeded',
    durationMs: 12_000,
    files: [{ uri: `file://${files[i % files.length]}`, width: 256, height: 256, format: 'png' }],
  }));
  const dir = path.join(userDataDir, 'User', 'globalStorage', EXTENSION_ID);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'history.json'), JSON.stringify({ version: 1, entries }));
}

function findLogs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => path.basename(f) === 'GPT Image.log' || /GPT Image\.log$/.test(f))
    .map((f) => path.join(dir, f));
}

/** The extension logs `activated in X ms` to its LogOutputChannel, which code-server writes under logs/. */
async function activationFromLog(userDataDir: string): Promise<number> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const file of findLogs(path.join(userDataDir, 'logs'))) {
      const m = /activated in ([\d.]+) ms/.exec(fs.readFileSync(file, 'utf8'));
      if (m) return Number(m[1]);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no "activated in" line in a GPT Image log under ${userDataDir}/logs`);
}

/**
 * First paint of the history, on the webview document's own clock (from its navigation start): the
 * presentation time the browser reports for the first entries' prompts (webview/history.ts marks them with
 * `elementtiming`). Polling for the entries from here, as before, came in 20–190 ms later than that.
 */
async function openStudio(page: Page): Promise<{ frame: Frame; open: SidebarOpen; paintedAt: number; pressed: number } | string> {
  const started = Date.now();
  const pressed = await runCommand(page, 'GPT Image: Open Image Studio');
  const frame = await findWebviewFrame(page, '#prompt', 30_000, 10);
  if (!frame) return 'the Image Studio view did not open';
  const polledMs = await frame
    .waitForFunction(() => (document.querySelector('.history-entry') ? performance.now() : 0), undefined, {
      polling: 'raf',
      timeout: 30_000,
    })
    .then((h) => h.jsonValue())
    .catch(() => 0);
  if (!polledMs) return 'the Image Studio view showed no history entries';
  const commandToVisibleMs = Date.now() - started;
  const timing = await frame.evaluate(
    () =>
      new Promise<{ painted: number; document: number; script: number; fcp: number; origin: number }>((resolve) => {
        const rest = () => ({
          origin: performance.timeOrigin,
          document: performance.getEntriesByType('navigation')[0]?.fetchStart ?? 0,
          script: performance.getEntriesByType('resource').find((r) => /\/webview\.js(\?|$)/.test(r.name))?.responseEnd ?? 0,
          fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
        });
        // Element Timing entries are only handed to observers (buffered), not kept in the performance timeline.
        type ElementTiming = PerformanceEntry & { identifier: string; renderTime: number };
        const observer = new PerformanceObserver((list) => {
          const times = (list.getEntries() as ElementTiming[]).filter((e) => e.identifier === 'history-entry').map((e) => e.renderTime);
          if (!times.length) return;
          observer.disconnect();
          resolve({ painted: Math.min(...times), ...rest() });
        });
        observer.observe({ type: 'element', buffered: true });
        // No entry painted in the viewport: nothing to report.
        setTimeout(() => resolve({ painted: 0, ...rest() }), 3000);
      }),
  );
  return {
    frame,
    pressed,
    paintedAt: timing.origin + (timing.painted || polledMs),
    open: {
      paintMs: timing.painted || polledMs,
      paintReported: timing.painted > 0,
      polledMs,
      documentFetchMs: timing.document,
      scriptLoadedMs: timing.script,
      firstContentfulPaintMs: timing.fcp,
      commandToVisibleMs,
    },
  };
}

const SHOWINGS = 5;

/**
 * The studio shown again: a kept page is on screen from the first workbench frame that shows its iframe (the
 * time is that frame's, before its paint); a rebuilt page from its entries' Element Timing.
 */
async function showAgain(page: Page, frame: Frame): Promise<{ frame: Frame; show: SidebarShow } | string> {
  if (frame.isDetached()) {
    const opened = await openStudio(page);
    if (typeof opened === 'string') return opened;
    return { frame: opened.frame, show: { showToPaintMs: opened.paintedAt - opened.pressed, samePage: false } };
  }
  const iframe = await frame.parentFrame()?.frameElement();
  if (!iframe) return 'the studio has no webview iframe';
  const pressed = await runCommand(page, 'GPT Image: Open Image Studio');
  // VS Code hides a kept webview's iframe with `visibility`, and shows it again where the view now is.
  const shownAt = await page
    .waitForFunction(
      (el) =>
        (el as Element).checkVisibility({ visibilityProperty: true }) && (el as Element).getBoundingClientRect().width > 0
          ? performance.timeOrigin + performance.now()
          : 0,
      iframe,
      { polling: 'raf', timeout: 30_000 },
    )
    .then((h) => h.jsonValue());
  if (frame.isDetached()) return 'the kept page was replaced while being shown';
  if (!(await frame.locator('.history-entry').count())) return 'the kept page shows no history entries';
  return { frame, show: { showToPaintMs: shownAt - pressed, samePage: true } };
}

/** Hides the studio behind the Explorer and waits until its page is dropped or its iframe is hidden. */
async function hideStudio(page: Page, frame: Frame): Promise<string | undefined> {
  const iframe = await frame.parentFrame()?.frameElement();
  await runCommand(page, 'View: Show Explorer');
  for (const end = Date.now() + 10_000; Date.now() < end; await page.waitForTimeout(50)) {
    if (
      frame.isDetached() ||
      !iframe ||
      !(await iframe.evaluate((el) => (el as Element).checkVisibility({ visibilityProperty: true })).catch(() => false))
    )
      return undefined;
  }
  return 'the Image Studio view was still on screen after switching to the Explorer';
}

/** The browser's processes (renderers, GPU, utilities): Chromium's among this process's descendants, from /proc. */
function browserProcesses(): number[] {
  return processTree(process.pid).filter((pid) => {
    try {
      return /chrom|headless/i.test(fs.readFileSync(`/proc/${pid}/comm`, 'utf8'));
    } catch {
      return false;
    }
  });
}

function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      // The parent pid is the second field after the parenthesised command name.
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // The process has exited.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** Proportional set size: shared pages split between the processes sharing them, so the sum is the tree's own. */
function pss(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // The process has exited.
    }
  }
  return kb * 1024;
}

async function memory(page: Page): Promise<MemorySnapshot> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; embedderHeapUsedSize?: number };
    const dom = await cdp.send('Memory.getDOMCounters');
    return { heapBytes: heap.usedSize + (heap.embedderHeapUsedSize ?? 0), domNodes: dom.nodes, pssBytes: pss(browserProcesses()) };
  } finally {
    await cdp.detach();
  }
}

async function sidebarPaint(page: Page): Promise<WorkbenchFigures['sidebar'] | string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes?: { views?: Record<string, { id: string }[]> };
  };
  const hasView = Object.values(pkg.contributes?.views ?? {}).some((views) => views.some((v) => v.id === 'gptImage.studio'));
  if (!hasView) return 'the extension contributes no studio view yet';
  const before = await memory(page);
  const opened = await openStudio(page);
  if (typeof opened === 'string') return opened;
  let { frame } = opened;
  const shown: SidebarShow[] = [];
  let hidden: MemorySnapshot | undefined;
  for (let i = 0; i < SHOWINGS; i++) {
    // The view takes the focus once its page has loaded; hiding it before would race that.
    await page.waitForTimeout(1000);
    const notHidden = await hideStudio(page, frame);
    if (notHidden) return notHidden;
    await page.waitForTimeout(500);
    hidden ??= await memory(page);
    const again = await showAgain(page, frame);
    if (typeof again === 'string') return `showing again: ${again}`;
    frame = again.frame;
    shown.push(again.show);
  }
  return { first: opened.open, shown, memory: { before, hidden: hidden ?? before } };
}

export async function measureWorkbench(): Promise<WorkbenchFigures> {
  console.log('Packaging the .vsix and starting code-server…');
  const vsix = packageVsix();
  const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpt-image-bench-ext-'));
  installExtension(vsix, extensionsDir);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpt-image-bench-profile-'));
  const workspace = freshWorkspace();
  await seedHistory(userDataDir, workspace, HISTORY_ENTRIES);
  const sandbox = await startSandbox();
  const server = await startCodeServer({ workspace, userDataDir, extensionsDir, settings: { 'gptImage.baseUrl': sandbox.baseUrl } });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.statusbar').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500);
    // Show Log activates the extension without opening any view.
    await runCommand(page, 'GPT Image: Show Log');
    const activationMs = await activationFromLog(userDataDir);
    await quickInput(page).waitFor({ state: 'hidden' });
    const sidebar = await sidebarPaint(page).catch((err: unknown) => `the measurement failed: ${String(err).split('\n')[0]}`);
    return {
      vsixBytes: fs.statSync(vsix).size,
      activationMs,
      ...(typeof sidebar === 'string' ? { sidebarTodo: sidebar } : { sidebar }),
    };
  } finally {
    await browser.close();
    await server.stop();
    await sandbox.close();
  }
}
