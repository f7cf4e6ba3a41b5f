// Watching an image form: the studio's job card shows each streamed preview and then the result
// (here with a transparent background, on a checkerboard), and the command's preview panel opens
// beside the editor. The sandbox paces its events so each stage stays on screen long enough to look at.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { openFile, openWorkbench, quickInput, runCommand, selectLine, webviewFrame, type Workbench } from './workbench';

function savedImages(workspace: string): string[] {
  const dir = path.join(workspace, 'images');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

describe('Streamed previews in the workbench', { timeout: 420_000 }, () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench('stream', {
      settings: { 'gptImage.model': 'gpt-image-1.5', 'gptImage.askForSize': false, 'gptImage.size': '1024x1024' },
    });
    wb.sandbox.setStreamDelay(2500);
  });
  after(async () => {
    await wb?.close();
  });

  it('shows each preview on the job card as it arrives, then the transparent result on a checkerboard', async () => {
    const { page } = wb;
    await runCommand(page, 'GPT Image: Open Image Studio');
    const studio = await webviewFrame(page, '#prompt');
    await studio.fill('#prompt', 'A glass teapot, product shot');
    await studio.selectOption('#format', 'png');
    await studio.selectOption('#background', 'transparent');
    await studio.selectOption('#previews', '2');
    await wb.shot('studio-stream-form');
    await studio.click('#generate');
    await quickInput(page).locator('input[type="password"]').waitFor();
    await quickInput(page).locator('input[type="password"]').fill(wb.sandbox.key);
    await page.keyboard.press('Enter');

    const preview = studio.locator('.job .preview-image');
    await preview.waitFor({ timeout: 60_000 });
    await studio.locator('.job .preview-label').scrollIntoViewIfNeeded();
    await page.waitForTimeout(400);
    assert.match(await studio.locator('.job .preview-label').innerText(), /Preview 1 of 2/);
    await wb.shot('studio-mid-stream');
    await studio.locator('.job .preview-label', { hasText: 'Preview 2 of 2' }).waitFor({ timeout: 30_000 });
    await studio.locator('.job .preview-label').scrollIntoViewIfNeeded();
    await page.waitForTimeout(400);
    await wb.shot('studio-second-preview');
    assert.equal(savedImages(wb.workspace).length, 0, 'no preview is ever written to the workspace');

    await studio.locator('.job .result img').first().waitFor({ timeout: 60_000 });
    assert.equal(await studio.locator('.job .preview-image').count(), 0, 'the result replaces the preview');
    await studio.locator('.job .result').first().scrollIntoViewIfNeeded();
    await page.waitForTimeout(800);
    await wb.shot('studio-transparent-result');

    const sent = wb.sandbox.requests.filter((r) => r.path.startsWith('/v1/images/generations'));
    assert.equal(sent.length, 1);
    const body = sent[0]!.json as Record<string, unknown>;
    assert.deepEqual(
      { stream: body.stream, partial_images: body.partial_images, background: body.background, output_format: body.output_format },
      { stream: true, partial_images: 2, background: 'transparent', output_format: 'png' },
    );
    const files = savedImages(wb.workspace);
    assert.equal(files.length, 1, 'only the final image is saved');
    const image = sharp(path.join(wb.workspace, 'images', files[0]!));
    const meta = await image.metadata();
    assert.equal(meta.hasAlpha, true, 'the saved PNG has an alpha channel');
    const alpha = (await image.stats()).channels[3]!;
    assert.equal(alpha.min, 0, 'some pixels are fully transparent');
    assert.equal(alpha.max, 255, 'and some are opaque');
  });

  it('opens a preview beside the editor for the command, then shows the saved image there', async () => {
    const { page } = wb;
    await openFile(page, 'README.md');
    await selectLine(page, 3);
    await runCommand(page, 'GPT Image: Generate Image');
    const panel = await webviewFrame(page, '#stage img', 60_000);
    await page.waitForTimeout(400);
    // The panel opens at the first preview; on a slow machine its page may be ready only for the second.
    assert.match(await panel.locator('#caption').innerText(), /Preview [12] of 2/);
    const notice = page.locator('.notifications-toasts', { hasText: /Preview [12] of 2/ });
    await notice.first().waitFor({ timeout: 10_000 });
    await wb.shot('command-preview-panel');
    await panel.locator('#caption', { hasText: 'Saved' }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(600);
    await wb.shot('command-preview-saved');
    assert.equal(await panel.locator('#stage[data-state="final"] img').count(), 1);
    assert.equal(savedImages(wb.workspace).length, 2, 'one more image, the final one');
  });
});
