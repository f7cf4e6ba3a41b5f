import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readRecipe } from '../../src/core/xmpPacket';
import {
  editorText,
  enterKeyIfAsked,
  openFile,
  openWorkbench,
  quickInput,
  runCommand,
  selectLine,
  shows,
  webviewFrame,
  type Workbench,
} from './workbench';

// The packaged extension in the browser's extension host (a web worker), as in vscode.dev: the palette
// flow a person uses, with the requests made by the browser's fetch to the sandbox (which allows CORS).
describe('Generate Image and the studio in the browser extension host', { timeout: 300_000 }, () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench('web', { host: 'web' });
  });
  after(async () => {
    await wb?.close();
  });

  it('from the palette on a selection: size pick, key, the image saved and linked, sent by the browser', async () => {
    const { page } = wb;
    await openFile(page, 'README.md');
    await selectLine(page, 3);
    await runCommand(page, 'GPT Image: Generate Image');
    const input = quickInput(page).locator('input');
    await quickInput(page).locator('.monaco-list-row', { hasText: '1536x1024' }).first().waitFor();
    await wb.shot('size-pick');
    await input.fill('1536x1024');
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await quickInput(page).locator('input[type="password"]').waitFor();
    await quickInput(page).locator('input[type="password"]').fill(wb.sandbox.key);
    await page.keyboard.press('Enter');

    await page.locator('.monaco-editor .view-lines', { hasText: '![' }).first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await wb.shot('link-inserted');
    const files = fs.readdirSync(path.join(wb.workspace, 'images'));
    assert.equal(files.length, 1, `one image saved: ${files.join(', ')}`);
    assert.match(files[0]!, /^a-lighthouse-on-a-cliff-at-dawn-watercolor-\d{8}-\d{6}\.png$/);
    const bytes = fs.readFileSync(path.join(wb.workspace, 'images', files[0]!));
    assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
    const recipe = readRecipe(bytes);
    assert.deepEqual(
      [recipe?.prompt, recipe?.size, recipe?.host],
      ['A lighthouse on a cliff at dawn, watercolor.', '1536x1024', '127.0.0.1'],
      'the recipe, read back: the selected sentence, the size picked, the gateway host',
    );
    assert.ok((await editorText(page)).replace(/\n/g, '').includes(`](images/${files[0]})`), 'the link at the selection');
    const [generation, ...more] = wb.sandbox.requests.filter((r) => r.path.startsWith('/v1/images/generations'));
    assert.equal(more.length, 0);
    assert.equal((generation?.json as { size?: string } | undefined)?.size, '1536x1024');
    // Only a browser sends these: the extension ran in the web worker, not in code-server's Node host.
    assert.equal(typeof generation?.headers.origin, 'string', 'the request names its origin');
    assert.equal(generation?.headers['sec-fetch-mode'], 'cors');
  });

  it("the studio's own controls: a prompt typed on the page, Generate, the result shown and inserted, the history entry", async () => {
    const { page } = wb;
    await runCommand(page, 'GPT Image: Open Image Studio');
    const studio = await webviewFrame(page, '#prompt');
    await studio.fill('#prompt', 'A paper boat on a pond');
    await studio.click('[data-tier="1K"]');
    await studio.click('[data-ratio="1:1"]');
    await wb.shot('studio-form');
    await studio.click('#generate');
    const result = studio.locator('.job-list li', { hasText: 'paper boat' }).locator('.result img').first();
    await enterKeyIfAsked(page, wb.sandbox.key, result);
    await shows(page, result, 60_000);
    // The page shows the saved file itself, read through the web workbench's resource loading.
    await studio.waitForFunction(
      (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
      await result.elementHandle(),
      {
        timeout: 20_000,
      },
    );
    assert.equal(await result.evaluate((img) => (img as HTMLImageElement).naturalWidth), 1024);
    await studio.locator('.history-entry', { hasText: 'A paper boat on a pond' }).first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    await wb.shot('studio-result');
    const saved = fs.readdirSync(path.join(wb.workspace, 'images')).filter((f) => f.startsWith('a-paper-boat-on-a-pond-'));
    assert.equal(saved.length, 1, saved.join(', '));
    const sent = wb.sandbox.requests.filter(
      (r) =>
        r.path.startsWith('/v1/images/generations') && (r.json as { prompt?: string } | undefined)?.prompt === 'A paper boat on a pond',
    );
    assert.deepEqual(
      sent.map((r) => [(r.json as { size?: string }).size, typeof r.headers.origin]),
      [['1024x1024', 'string']],
      'one request, sent by the browser, as the page asked',
    );

    await openFile(page, 'README.md');
    await selectLine(page, 3);
    await studio.locator('.job-list li', { hasText: 'paper boat' }).locator('.result [data-action="insert"]').first().click();
    await page
      .locator('.monaco-editor .view-lines', { hasText: saved[0]!.slice(0, 20) })
      .first()
      .waitFor({ timeout: 20_000 });
    // The selection stays what the user selected (an insert at its end would stretch it over the link).
    await page
      .locator('.statusbar-item', { hasText: /Ln 3, Col 45 \(44 selected\)/ })
      .first()
      .waitFor({ timeout: 10_000 });
    await wb.shot('studio-inserted');
    const text = (await editorText(page)).replace(/\n/g, '');
    assert.ok(text.includes(`](images/${saved[0]})`), 'the link written by the studio');
    assert.ok(
      text.indexOf('A lighthouse on a cliff at dawn, watercolor.') < text.indexOf(`](images/${saved[0]})`) &&
        text.indexOf(`](images/${saved[0]})`) < text.indexOf('A cozy reading nook with a cat.'),
      `on its own paragraph after the selected sentence:\n${text}`,
    );
  });
});
