import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import type { EditSummary } from '../../tools/sandbox/edits';
import { renderImage } from '../../tools/sandbox/render';
import { openWorkbench, quickInput, runCommand, webviewFrame, type Workbench } from './workbench';

const WIDTH = 1024;
const HEIGHT = 768;

describe('Image Studio: reference images and the mask painter', { timeout: 420_000 }, () => {
  let wb: Workbench;
  let fixture: Buffer;
  let fixturePath: string;

  /** Adding a reference from a new folder widens the view's resource roots, which may reload it: find it again. */
  async function studioWith(selector: string): Promise<Frame> {
    return webviewFrame(wb.page, selector);
  }

  before(async () => {
    wb = await openWorkbench('mask');
    // Outside the output folder, so the result is the only file in it.
    fixturePath = path.join(wb.workspace, 'photos', 'harbour.png');
    fixture = await renderImage({
      prompt: 'a harbour at dusk',
      width: WIDTH,
      height: HEIGHT,
      format: 'png',
      model: 'fixture',
      index: 0,
      total: 1,
    });
    fs.mkdirSync(path.dirname(fixturePath), { recursive: true });
    fs.writeFileSync(fixturePath, fixture);
  });
  after(async () => {
    await wb?.close();
  });

  it('picks a reference, paints a mask with the mouse and the keyboard, and edits through /v1/images/edits', async () => {
    const { page } = wb;
    await runCommand(page, 'GPT Image: Open Image Studio');
    let studio = await studioWith('#pick-references');
    await studio.fill('#prompt', 'Put a red sailing boat in the harbour');
    assert.equal((await studio.locator('#generate').innerText()).trim(), 'Generate', 'no reference yet: Generate');

    // code-server's open dialog is the simple file dialog: a quick input that takes a typed path.
    await studio.click('#pick-references');
    const input = quickInput(page).locator('input');
    // The dialog opens at the workspace folder; typing before it has listed it gets overwritten.
    await quickInput(page).locator('.monaco-list-row', { hasText: 'photos' }).first().waitFor();
    await input.fill(fixturePath);
    // It reads the folder as the path is typed; Enter before it lists the file is ignored.
    await quickInput(page).locator('.monaco-list-row', { hasText: 'harbour.png' }).first().waitFor();
    assert.equal(await input.inputValue(), fixturePath);
    await wb.shot('open-dialog');
    for (let attempt = 0; attempt < 3 && (await quickInput(page).isVisible()); attempt++) {
      await page.keyboard.press('Enter');
      await quickInput(page)
        .waitFor({ state: 'hidden', timeout: 5_000 })
        .catch(() => undefined);
    }
    await quickInput(page).waitFor({ state: 'hidden', timeout: 1_000 });

    studio = await studioWith('.reference-item');
    await studio.locator('.reference-item img').evaluate((img: HTMLImageElement) => img.decode());
    assert.equal(await studio.locator('.reference-item').count(), 1);
    assert.equal((await studio.locator('#generate').innerText()).trim(), 'Edit', 'with a reference: Edit');
    assert.match(await studio.locator('.reference-item').innerText(), /harbour\.png[\s\S]*1024×768/);
    assert.equal((await studio.locator('#references-count').innerText()).trim(), '1 / 16');
    await wb.shot('studio-with-reference');

    await studio.click('#paint-mask');
    const canvas = studio.locator('#mask-canvas');
    await canvas.waitFor();
    assert.deepEqual(
      await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height, document.activeElement === c]),
      [WIDTH, HEIGHT, true],
      'the canvas has the image’s pixel size and takes focus',
    );
    assert.match((await canvas.getAttribute('aria-label')) ?? '', /harbour\.png/);

    // A mouse stroke across the upper left: bounding boxes inside webview frames are page coordinates.
    const box = await canvas.boundingBox();
    assert.ok(box && box.width > 50, 'the canvas is shown');
    await page.mouse.move(box.x + box.width * 0.15, box.y + box.height * 0.25);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.3, { steps: 12 });
    await wb.shot('mask-mid-stroke');
    await page.mouse.up();

    // A keyboard dab further right and down: the cursor is where the mouse left it; Shift+arrow moves 10% of the longer side.
    await page.keyboard.press(']');
    for (let i = 0; i < 2; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Space');
    const dab = { x: Math.round(WIDTH * 0.45) + 2 * 100, y: Math.round(HEIGHT * 0.3) + 100 };
    const alphaAt = (p: { x: number; y: number }) =>
      canvas.evaluate((c: HTMLCanvasElement, q) => c.getContext('2d')!.getImageData(q.x, q.y, 1, 1).data[3], p);
    assert.ok((await alphaAt(dab)) > 0, 'Space painted at the keyboard cursor');
    assert.ok((await alphaAt({ x: WIDTH * 0.3, y: HEIGHT * 0.275 })) > 0, 'the mouse stroke painted');
    assert.equal(await alphaAt({ x: 40, y: HEIGHT - 40 }), 0, 'the rest is unpainted');
    assert.equal(await studio.locator('#mask-size-value').innerText(), '80 px', '] made the brush a quarter bigger');
    await page.keyboard.press('e');
    assert.equal(await studio.locator('[data-tool="eraser"]').getAttribute('aria-pressed'), 'true');
    await page.keyboard.press('b');
    assert.equal(await studio.locator('[data-tool="brush"]').getAttribute('aria-pressed'), 'true');
    await wb.shot('mask-painted');

    await studio.click('#mask-done');
    assert.equal((await studio.locator('#mask-state').innerText()).trim(), 'Mask painted');
    await studio.click('#generate');
    // First use: the workbench asks for the gateway's key, then the job goes on.
    await quickInput(page).locator('input[type="password"]').waitFor();
    await quickInput(page).locator('input[type="password"]').fill(wb.sandbox.key);
    await page.keyboard.press('Enter');
    await studio.locator('.result img').first().waitFor({ timeout: 60_000 });
    await studio.locator('.job .results').first().scrollIntoViewIfNeeded();
    await page.waitForTimeout(800);
    await wb.shot('edit-result');

    const edits = wb.sandbox.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/images/edits'));
    assert.equal(edits.length, 1, 'exactly one edit request');
    assert.equal(wb.sandbox.requests.filter((r) => r.path.startsWith('/v1/images/generations')).length, 0, 'and no generation');
    const summary = edits[0]!.json as EditSummary;
    assert.equal(summary.fields.prompt, 'Put a red sailing boat in the harbour');
    assert.equal(summary.fields.size, '1024x768', "the size followed the reference's own");
    const image = summary.files.find((f) => f.field === 'image');
    assert.ok(image, `an image part: ${JSON.stringify(summary.files)}`);
    assert.deepEqual(
      { sha256: image.sha256, bytes: image.bytes, filename: image.filename },
      { sha256: createHash('sha256').update(fixture).digest('hex'), bytes: fixture.length, filename: 'harbour.png' },
    );
    const mask = summary.files.find((f) => f.field === 'mask');
    assert.ok(mask, 'a mask part');
    assert.deepEqual(
      { format: mask.format, width: mask.width, height: mask.height, transparent: mask.transparent, totalPixels: mask.totalPixels },
      { format: 'png', width: WIDTH, height: HEIGHT, transparent: true, totalPixels: WIDTH * HEIGHT },
    );
    const share = mask.transparentPixels! / mask.totalPixels!;
    // A stroke about 300 px long and 64 px wide plus one 80 px dab: a few percent of the image, not all of it.
    assert.ok(share > 0.01 && share < 0.2, `transparent share ${share}`);

    const saved = fs.readdirSync(path.join(wb.workspace, 'images'));
    assert.equal(saved.length, 1, `one new file in the output folder: ${saved.join(', ')}`);
    assert.equal(await studio.locator('.result img').count(), 1);
  });

  it('takes a drop of a workspace file, refuses one from outside, and ignores an edit naming a file it never accepted', async () => {
    const { page } = wb;
    const second = path.join(wb.workspace, 'photos', 'pier.png');
    fs.writeFileSync(
      second,
      await renderImage({ prompt: 'pier', width: 512, height: 512, format: 'png', model: 'fixture', index: 0, total: 1 }),
    );
    const outside = path.join(path.dirname(wb.workspace), 'outside.png');
    fs.writeFileSync(outside, fixture);
    let studio = await studioWith('.reference-item');
    const before = wb.sandbox.requests.length;

    // What VS Code's Explorer puts on a Shift-drag into a webview: the page only reads the URI list.
    const drop = (uris: string[]) =>
      studio.locator('#reference-drop').evaluate((zone, list) => {
        const data = new DataTransfer();
        data.setData('text/uri-list', list.join('\r\n'));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }, uris);
    await drop([`file://${second}`]);
    await page.waitForTimeout(1000);
    studio = await studioWith('.reference-item');
    await studio.locator('.reference-item').nth(1).waitFor({ timeout: 20_000 });
    assert.equal(await studio.locator('.reference-item').count(), 2);
    assert.equal((await studio.locator('#references-count').innerText()).trim(), '2 / 16');

    await drop([`file://${outside}`]);
    await studio.locator('#references-problem:not([hidden])').waitFor({ timeout: 20_000 });
    assert.match(await studio.locator('#references-problem').innerText(), /outside\.png is not in a workspace folder/);
    assert.equal(await studio.locator('.reference-item').count(), 2, 'nothing from outside added');
    await wb.shot('drop-refused');

    // A forged edit naming a file the host never accepted: nothing is read or sent.
    const outer = studio.parentFrame();
    assert.ok(outer, 'the studio sits inside the webview host frame');
    await outer.evaluate((uri) => {
      const post = (window as unknown as Record<string, (channel: string, data: unknown) => void>)['__vscode_post_message__'];
      post!('onmessage', {
        message: {
          type: 'edit',
          jobId: 'forged-1',
          options: { prompt: 'x', model: 'gpt-image-2-origin', size: '1024x1024', quality: 'medium', outputFormat: 'png', n: 1 },
          images: [uri],
        },
      });
    }, `file://${outside}`);
    await page.waitForTimeout(1500);
    assert.equal(wb.sandbox.requests.length, before, 'no request sent');

    // Removing the first reference makes the second the one a mask is for.
    await studio.locator('.reference-item').first().locator('button[aria-label^="Remove"]').click();
    await studio.locator('.reference-item').nth(1).waitFor({ state: 'detached', timeout: 20_000 });
    assert.match(await studio.locator('.reference-item').innerText(), /pier\.png[\s\S]*512×512/);
    assert.equal((await studio.locator('#mask-state').innerText()).trim(), 'No mask');
  });
});
