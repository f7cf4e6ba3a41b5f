import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import {
  editorText,
  enterKeyIfAsked,
  openFile,
  openWorkbench,
  quickInput,
  runCommand,
  shows,
  webviewFrame,
  workbenchReady,
  type Workbench,
} from './workbench';

describe('Image Studio sidebar in the workbench', { timeout: 420_000 }, () => {
  let wb: Workbench;
  let studio: Frame;

  async function openStudio(): Promise<Frame> {
    await runCommand(wb.page, 'GPT Image: Open Image Studio');
    return webviewFrame(wb.page, '#prompt');
  }

  before(async () => {
    wb = await openWorkbench('sidebar');
  });
  after(async () => {
    await wb?.close();
  });

  it('generates two 2K 16:9 landscape images at high quality and inserts one into the open document', async () => {
    const { page } = wb;
    await openFile(page, 'README.md');
    await page.keyboard.press('Control+End');
    studio = await openStudio();
    await wb.shot('studio-open');
    await studio.fill('#prompt', 'A lighthouse on a cliff at dawn, watercolor');
    await studio.click('[data-tier="2K"]');
    await studio.click('[data-ratio="16:9"]');
    await studio.click('[data-orientation="landscape"]');
    const size = studio.locator('[data-size="2560x1440"]');
    if (await size.count()) await size.click();
    await studio.selectOption('#quality', 'high');
    await studio.fill('#n', '2');
    await studio.locator('#n').dispatchEvent('change');
    await wb.shot('studio-form');
    assert.match(await studio.locator('#cost').innerText(), /\$0\.1[01]/, 'two 2K images cost about $0.11');
    await studio.click('#generate');

    // First use: the workbench asks for the gateway's key, then the job goes on.
    await quickInput(page).locator('input[type="password"]').waitFor();
    await quickInput(page).locator('input[type="password"]').fill(wb.sandbox.key);
    await page.keyboard.press('Enter');

    await studio.locator('.result img').nth(1).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(800);
    await wb.shot('studio-results');
    assert.equal(await studio.locator('.result img').count(), 2);
    const sent = wb.sandbox.requests.filter((r) => r.path.startsWith('/v1/images/generations'));
    assert.equal(sent.length, 1);
    assert.deepEqual(
      {
        size: (sent[0]!.json as Record<string, unknown>).size,
        quality: (sent[0]!.json as Record<string, unknown>).quality,
        n: (sent[0]!.json as Record<string, unknown>).n,
      },
      { size: '2560x1440', quality: 'high', n: 2 },
    );
    const files = fs.readdirSync(path.join(wb.workspace, 'images'));
    assert.equal(files.length, 2);

    await studio.locator('.result [data-action="insert"]').first().click();
    await page.locator('.monaco-editor .view-lines', { hasText: '![' }).first().waitFor({ timeout: 20_000 });
    await wb.shot('inserted');
    assert.ok((await editorText(page)).replace(/\n/g, '').includes('](images/'), 'a Markdown link to the image');
  });

  it('keeps the history across a window reload, and search finds the entry', async () => {
    const { page } = wb;
    await page.reload();
    await workbenchReady(page);
    studio = await openStudio();
    await studio.locator('.history-entry').first().waitFor({ timeout: 30_000 });
    await wb.shot('history-after-reload');
    // The page filters as it gets to the typed text: wait for the list to change, within a limit.
    await studio.fill('#history-search', 'lighthouse');
    await studio.locator('.history-entry').first().waitFor({ timeout: 10_000 });
    assert.ok((await studio.locator('.history-entry').count()) >= 1, 'search finds the entry');
    await studio.fill('#history-search', 'zebra crossing');
    await studio
      .locator('.history-entry')
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
    assert.equal(await studio.locator('.history-entry').count(), 0, 'and only matching entries');
    await studio.fill('#history-search', '');
  });

  it('drops malformed and hostile messages from the view with only a log line', async () => {
    const { page } = wb;
    const before = fs.readdirSync(path.join(wb.workspace, 'images')).sort();
    const requestsBefore = wb.sandbox.requests.length;
    const hostile = [
      { type: 'no-such-message' },
      { type: 'delete', file: `file://${wb.workspace}/../outside.png` },
      { type: 'delete', file: 'file:///etc/passwd' },
      { type: 'open', file: 'command:workbench.action.terminal.new' },
      {
        type: 'generate',
        jobId: 'x',
        options: { prompt: '<img src=x onerror=alert(1)>', model: '<b>', size: '../../', quality: 'high', n: 99, outputFormat: 'png' },
      },
      'not even an object',
      { type: 'insert', file: `file://${wb.workspace}/images/${before[0]}`, extra: '<script>' },
    ];
    // acquireVsCodeApi().postMessage hands messages to this function of the outer webview frame
    // (the inner frame's window.parent is deleted by VS Code): post through the same channel.
    const outer = studio.parentFrame();
    assert.ok(outer, 'the studio sits inside the webview host frame');
    for (const data of hostile) {
      await outer.evaluate((d) => {
        const post = (window as unknown as Record<string, (channel: string, data: unknown) => void>)['__vscode_post_message__'];
        post!('onmessage', { message: d });
      }, data);
    }
    await page.waitForTimeout(1500);
    assert.deepEqual(fs.readdirSync(path.join(wb.workspace, 'images')).sort(), before, 'no file touched');
    assert.equal(wb.sandbox.requests.length, requestsBefore, 'no request sent');
    assert.equal(await page.locator('.terminal').count(), 0, 'no terminal opened');
    await runCommand(page, 'GPT Image: Show Log');
    const output = page.locator('.output-view, .panel .monaco-editor').first();
    await output.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(800);
    await wb.shot('log-after-hostile-messages');
    const log = (await page.locator('.panel .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    const dropped = log.match(/studio: ignored a message from the view/g) ?? [];
    assert.ok(dropped.length >= hostile.length, `one log line per dropped message:\n${log}`);
  });

  it('marks a history image deleted on disk after showing the page, and the other image still opens', async () => {
    const { page } = wb;
    const images = path.join(wb.workspace, 'images');
    const [gone, kept] = fs.readdirSync(images).sort();
    assert.ok(gone && kept, 'the first test made two images');
    fs.rmSync(path.join(images, gone));
    await page.reload();
    await workbenchReady(page);
    studio = await openStudio();
    const card = (name: string) => studio.locator(`.history-image[data-file$="/${name}"]`);
    const actions = (name: string) =>
      card(name)
        .locator('[data-action]')
        .evaluateAll((buttons) =>
          buttons.map((b) => `${(b as HTMLElement).dataset.action} ${(b as HTMLElement).dataset.file?.split('/').pop()}`),
        );
    await card(gone).locator('.missing').waitFor({ timeout: 30_000 });
    await wb.shot('history-file-deleted');
    assert.equal(await card(gone).locator('img').count(), 0, 'no thumbnail for the deleted file');
    assert.deepEqual(await actions(gone), [`copyPath ${gone}`], 'only its path can still be copied');
    assert.deepEqual(
      await actions(kept),
      ['refine', 'showInfo', 'insert', 'open', 'reveal', 'copyMarkdown', 'copyPath', 'delete'].map((a) => `${a} ${kept}`),
      'every action of the file still there, each naming it',
    );
    await card(kept).locator('img').dblclick();
    await page.locator('.tabs-container .tab.active', { hasText: kept }).first().waitFor({ timeout: 20_000 });
  });

  it('renders a hostile prompt from the page shell as text, with its first frame, and keeps the page while hidden', async () => {
    const { page } = wb;
    const hostile = `"><script>window.pwned = 1</script></main> <img src=x onerror="window.pwned = 2"> Tom & Jerry's &amp; &#39;`;
    // A search left in the box that hides the new entry: the reload below must not bring it back.
    await studio.fill('#history-search', 'lighthouse');
    await studio.fill('#prompt', hostile);
    await studio.fill('#n', '1');
    await studio.locator('#n').dispatchEvent('change');
    await studio.click('#generate');
    const result = studio.locator('.job-list li', { hasText: 'Tom & Jerry' }).locator('.result img').first();
    await enterKeyIfAsked(page, wb.sandbox.key, result);
    await shows(page, result, 60_000);
    // A prompt typed a second before the reload: the host has it (sent 400 ms after typing), while the page's view
    // state, which a browser workbench saves every few seconds at best, may still hold the hostile one.
    const typedLast = 'a prompt typed a moment before the reload';
    await studio.fill('#prompt', typedLast);
    await page.waitForTimeout(1000);
    // After a reload the history comes only from the shell's data-init until the page has said `ready`: the whole
    // history, newest first, with no search (a reload never brings one back: webview/vscodeApi.ts says why), and the
    // newer of the two saved forms (protocol.ts: newerForm).
    await page.reload();
    await workbenchReady(page);
    studio = await openStudio();
    assert.equal(await studio.inputValue('#history-search'), '', 'the page opens with no search');
    assert.equal(await studio.inputValue('#prompt'), typedLast, 'the prompt typed last, not an older saved one');
    const prompt = studio.locator('.history-entry .entry-prompt').first();
    await prompt.waitFor({ timeout: 30_000 });
    assert.equal(await prompt.textContent(), hostile, 'the prompt shown as its own text, newest first');
    const page1 = await studio.evaluate(() => ({
      pwned: (window as unknown as { pwned?: number }).pwned,
      // VS Code's own script (acquireVsCodeApi, with the view state) and ours: no other.
      scripts: [...document.scripts].map((s) =>
        s.id === '_vscodeApiScript' ? 'vscode' : s.nonce && /\/dist\/webview\.js$/.test(s.src) ? 'ours' : s.outerHTML,
      ),
      injected: document.querySelectorAll('img[src="x"], main main, .entry-prompt *').length,
    }));
    assert.deepEqual(page1, { pwned: undefined, scripts: ['vscode', 'ours'], injected: 0 }, 'nothing of the prompt ran or became markup');
    const frames = await studio.evaluate(
      () =>
        new Promise<{ fcp: number; painted: number }>((resolve) => {
          type ElementTiming = PerformanceEntry & { identifier: string; renderTime: number };
          new PerformanceObserver((list) => {
            const times = (list.getEntries() as ElementTiming[]).filter((e) => e.identifier === 'history-entry').map((e) => e.renderTime);
            if (times.length)
              resolve({ fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1, painted: Math.min(...times) });
          }).observe({ type: 'element', buffered: true });
          setTimeout(() => resolve({ fcp: -1, painted: -1 }), 3000);
        }),
    );
    assert.ok(frames.fcp > 0 && frames.painted >= frames.fcp, `the paints were recorded: ${JSON.stringify(frames)}`);
    assert.ok(
      frames.painted - frames.fcp < 17,
      `the history is in the page's first frame, not after a round trip: ${JSON.stringify(frames)}`,
    );
    await wb.shot('history-hostile-prompt');

    // Hidden behind the Explorer and shown again: the same document, so no new `ready` and no history request.
    await studio.evaluate(() => ((window as unknown as { kept?: boolean }).kept = true));
    const iframe = await studio.parentFrame()!.frameElement();
    const onScreen = () => iframe.evaluate((el) => (el as Element).checkVisibility({ visibilityProperty: true }));
    await page.waitForTimeout(1000);
    await runCommand(page, 'View: Show Explorer');
    await page.locator('.explorer-folders-view').first().waitFor({ timeout: 20_000 });
    for (const end = Date.now() + 10_000; !studio.isDetached() && (await onScreen()) && Date.now() < end;) await page.waitForTimeout(100);
    assert.ok(!studio.isDetached(), 'the page is kept while hidden');
    assert.equal(await onScreen(), false, 'and not on screen');
    await runCommand(page, 'GPT Image: Open Image Studio');
    for (const end = Date.now() + 10_000; !(await onScreen()) && Date.now() < end;) await page.waitForTimeout(100);
    assert.ok(await onScreen(), 'shown again');
    assert.equal(await studio.evaluate(() => (window as unknown as { kept?: boolean }).kept), true, 'the same document');
    assert.equal(await studio.locator('.history-entry .entry-prompt').first().textContent(), hostile, 'with its history');
    await wb.shot('studio-shown-again');
  });

  it('shows only the options the chosen model takes, and holds a transparent JPEG back', async () => {
    studio = await openStudio();
    const shown = async (...ids: string[]) => Promise.all(ids.map((id) => studio.locator(`#${id}`).isVisible()));
    const model = async (id: string) => {
      await studio.fill('#model', id);
      await studio.locator('#model').dispatchEvent('change');
    };
    await studio.fill('#prompt', 'A paper boat sticker');
    await model('gpt-image-1.5');
    await studio.selectOption('#format', 'png');
    // Compression goes with JPEG and WebP only; input fidelity only while editing reference images.
    assert.deepEqual(await shown('background', 'moderation', 'previews', 'compression', 'fidelity'), [true, true, true, false, false]);
    await studio.selectOption('#format', 'jpeg');
    await studio.selectOption('#background', 'transparent');
    assert.deepEqual(await shown('compression', 'alpha-note'), [true, true]);
    assert.equal(await studio.locator('#generate').isDisabled(), true, 'a transparent JPEG cannot be sent');
    await studio.selectOption('#format', 'webp');
    assert.deepEqual(await shown('compression', 'alpha-note'), [true, false]);
    assert.equal(await studio.locator('#generate').isDisabled(), false);
    await wb.shot('studio-options');
    // The provider's model takes none of them and does not stream: the whole row goes.
    await studio.selectOption('#background', 'auto');
    await studio.selectOption('#format', 'png');
    await model('gpt-image-2-origin');
    assert.deepEqual(await shown('background', 'moderation', 'previews', 'compression'), [false, false, false, false]);
    assert.equal(await studio.locator('.row.fields.options').isVisible(), false);
  });

  it('looks right in the light theme', async () => {
    const { page } = wb;
    // VS Code's own switch to the preferred light theme (Default Light Modern); the theme picker needs the marketplace offline.
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.locator('.monaco-workbench.vs').waitFor({ timeout: 30_000 });
    studio = await openStudio();
    await studio.fill('#prompt', 'A cozy reading nook with a cat');
    await studio.click('#generate');
    const job = studio.locator('.job-list li', { hasText: 'cozy reading nook' });
    // The click started a job (its row shows at once); only then can a key prompt or its image follow.
    await shows(page, job, 10_000);
    const result = job.locator('.result img').first();
    // The reload in an earlier test may have dropped the key.
    await enterKeyIfAsked(page, wb.sandbox.key, result);
    await shows(page, result, 60_000);
    await page.waitForTimeout(800);
    await wb.shot('studio-light');
    assert.equal(await page.locator('.monaco-workbench.vs-dark').count(), 0, 'no dark theme left');
  });
});
