import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { renderImage } from '../../tools/sandbox/render';
import { enterKeyIfAsked, quickInput, runCommand, webviewFrame, type Workbench, openWorkbench } from './workbench';

const PROMPT = 'A lighthouse on a cliff';
const OWN = 'photos/own.png';
const COPY = 'photos/copy.png';

/** The top image's clip, as the browser computed it: `inset(0px 50% 0px 0px)` at the middle. */
const clipOf = (slider: Locator) => slider.locator('.compare-before').evaluate((el) => getComputedStyle(el).clipPath);
/** Both images of a slider have loaded (their pixel sizes show). */
async function loaded(slider: Locator): Promise<void> {
  for (const img of await slider.locator('img').all()) {
    await img.evaluate((el: HTMLImageElement) => (el.complete && el.naturalWidth > 0 ? undefined : new Promise((r) => (el.onload = r))));
  }
}

/** Posts a message to the host as the page would, bypassing the page's own checks. */
async function forge(studio: Frame, message: unknown): Promise<void> {
  await studio.parentFrame()!.evaluate((m) => {
    const post = (window as unknown as Record<string, (channel: string, data: unknown) => void>)['__vscode_post_message__'];
    post!('onmessage', { message: m });
  }, message);
}

describe('Image Studio: compare, Show Generation Info, More like this on a job', { timeout: 600_000 }, () => {
  let wb: Workbench;

  before(async () => {
    // An image of the user's in the workspace that no history entry names, at another size than the results.
    const own = await renderImage({ prompt: 'own', width: 1536, height: 1024, format: 'png', model: 'fixture', index: 0, total: 1 });
    wb = await openWorkbench('compare', { settings: { 'gptImage.previews': 'off', 'gptImage.size': '1024x1024' }, files: { [OWN]: own } });
  });
  after(async () => {
    await wb?.close();
  });

  it('refines a result, compares it with its parent by keyboard and two results by picking, shows its info', async () => {
    const { page } = wb;
    const edits = () => wb.sandbox.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/images/edits'));
    await runCommand(page, 'GPT Image: Open Image Studio');
    let studio = await webviewFrame(page, '#prompt');
    await studio.fill('#prompt', PROMPT);
    await studio.click('#generate');
    await enterKeyIfAsked(page, wb.sandbox.key, studio.locator('.result img').first());
    await studio.locator('.result img').first().waitFor({ timeout: 60_000 });

    // Refine this: the result becomes the reference, its prompt the form's.
    await studio.locator('.result [data-action="refine"]').first().click();
    studio = await webviewFrame(page, '.reference-item');
    assert.equal(await studio.locator('#prompt').inputValue(), PROMPT);
    await studio
      .locator('.reference-item img')
      .first()
      .evaluate((el: HTMLImageElement) => el.decode());
    await wb.shot('refine');

    await studio.fill('#prompt', `${PROMPT}, at dusk`);
    await studio.click('#generate');
    const job = studio.locator('.job').first();
    await job.locator('.result img').first().waitFor({ timeout: 60_000 });
    assert.equal(edits().length, 1);

    // Compare with parent on the finished job's card, driven from the keyboard.
    const opener = job.locator('.result [data-action="compareParent"]').first();
    await opener.click();
    const dialog = studio.locator('#compare-dialog[open]');
    const slider = dialog.locator('.compare');
    await slider.waitFor();
    await loaded(slider);
    assert.deepEqual(await dialog.locator('.compare-label').allInnerTexts(), ['Before', 'After'], 'the parent on top, labelled');
    assert.equal(await clipOf(slider), 'inset(0px 50% 0px 0px)');
    assert.equal(await studio.evaluate(() => document.activeElement?.className), 'compare-range', 'the slider has the focus');
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
    assert.equal(await clipOf(slider), 'inset(0px 60% 0px 0px)', 'ten steps left: the top image shows less');
    assert.equal(await slider.locator('.compare-box').getAttribute('data-position'), '40');
    // A pointer on the box moves the divider there.
    const box = (await slider.locator('.compare-box').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height / 2);
    assert.equal(await slider.locator('.compare-box').getAttribute('data-position'), '25');
    for (let i = 0; i < 25; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await clipOf(slider), 'inset(0px 50% 0px 0px)', 'back to the middle');
    assert.match(await slider.locator('.compare-legend').innerText(), /Before\s+1024×1024[\s\S]*After\s+1024×1024/);
    await wb.shot('compare-studio');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await opener.evaluate((el) => el === document.activeElement), true, 'the focus is back on the card');

    // Compare…: pick two results by their checkboxes, then Compare; the older is on top, labelled by prompts.
    await studio.click('#compare-toggle');
    const go = studio.locator('#compare-go');
    assert.equal(await go.isDisabled(), true);
    const picks = studio.locator('.history-entry .pick');
    await picks.nth(0).check();
    assert.equal(await go.isDisabled(), true, 'one is not enough');
    await picks.nth(1).check();
    assert.match(await studio.locator('.compare-status').innerText(), /2 chosen/);
    await go.click();
    await slider.waitFor();
    await loaded(slider);
    assert.deepEqual(await dialog.locator('.compare-label').allInnerTexts(), [PROMPT, `${PROMPT}, at dusk`]);
    await wb.shot('compare-two');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await go.evaluate((el) => el === document.activeElement), true);
    await studio.click('#compare-toggle');

    // Forged compare and Show Generation Info of a file no entry names (a copy of a result: it carries a recipe): nothing opens.
    const result = (await opener.getAttribute('data-file'))!;
    fs.copyFileSync(new URL(result), path.join(wb.workspace, COPY));
    await forge(studio, { type: 'compare', files: [`file://${wb.workspace}/${COPY}`, result] });
    await forge(studio, { type: 'showInfo', file: `file://${wb.workspace}/${COPY}` });
    await page.waitForTimeout(1500);
    assert.equal(await dialog.count(), 0, 'no comparison');
    assert.equal(await quickInput(page).isVisible(), false, 'no generation info');

    // Show Generation Info on the card: the recipe the file carries.
    await job.locator('.result [data-action="showInfo"]').first().click();
    const rows = quickInput(page).locator('.monaco-list-row');
    await rows.filter({ hasText: 'Prompt' }).first().waitFor();
    assert.match(await quickInput(page).innerText(), /Generation info: .+\.png/);
    assert.match(await quickInput(page).innerText(), new RegExp(`${PROMPT}, at dusk`));
    await page.waitForTimeout(300);
    await wb.shot('show-info');
    await page.keyboard.press('Escape');

    // More like this on the finished job: the same edit again, as a new job.
    const jobs = await studio.locator('.job').count();
    await job.locator('.job-head [data-action="moreLikeThis"]').click();
    await studio.locator('.job').nth(jobs).waitFor();
    await studio.locator('.job').first().locator('.result img').first().waitFor({ timeout: 60_000 });
    const [first, again] = edits();
    assert.ok(again, 'a second edit was sent');
    assert.deepEqual(again.json, first!.json);
  });

  it('the Explorer edit offers "Compare with original", which opens the source and the result beside', async () => {
    const { page } = wb;
    await runCommand(page, 'View: Show Explorer');
    const row = (name: string) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
    await row('photos').click();
    // The first case's copy is listed too once the Explorer has settled; a list redrawn under the menu closes it.
    await row('copy.png').waitFor();
    for (let attempt = 1; ; attempt++) {
      // A menu left open (a redrawn list, an earlier step) blocks the pointer: close it first.
      for (let i = 0; i < 5 && (await page.locator('.context-view-block').count()) > 0; i++) {
        await page.keyboard.press('Escape');
        await page.waitForTimeout(200);
      }
      try {
        await row('own.png').click({ button: 'right', timeout: 10_000 });
        // A click on a menu that is still settling is dropped: point at the item first.
        const item = page.locator('.context-view .action-label', { hasText: 'Edit Image with Prompt' });
        await item.hover({ timeout: 10_000 });
        await page.waitForTimeout(300);
        await item.click({ timeout: 10_000 });
        await quickInput(page).locator('input').waitFor({ state: 'visible', timeout: 10_000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    await quickInput(page).locator('input').fill('The same photo at night');
    await page.keyboard.press('Enter');
    await quickInput(page).locator('.monaco-list-row').first().waitFor();
    await page.keyboard.press('Enter');
    const offer = page.locator('.notification-toast-container .monaco-button', { hasText: 'Compare with original' });
    await enterKeyIfAsked(page, wb.sandbox.key, offer);
    await offer.waitFor({ timeout: 60_000 });
    await page.locator('.tabs-container .tab', { hasText: 'own-edited.png' }).waitFor();
    await offer.click();

    const panel = await webviewFrame(page, '#stage[data-state="compare"]');
    const slider = panel.locator('.compare');
    await loaded(slider);
    assert.deepEqual(await slider.locator('.compare-label').allInnerTexts(), ['Original', 'Edited']);
    assert.match(await slider.locator('.compare-legend').innerText(), /Original\s+1536×1024[\s\S]*Edited\s+\d+×\d+/);
    assert.match(await panel.locator('#caption').innerText(), /photos\/own\.png and photos\/own-edited\.png/);
    assert.equal(await clipOf(slider), 'inset(0px 50% 0px 0px)');
    await page.waitForTimeout(500);
    await wb.shot('compare-panel');
  });
});
