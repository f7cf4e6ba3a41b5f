import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { renderImage } from '../../tools/sandbox/render';
import { quickInput, runCommand, webviewFrame, type Workbench, openWorkbench } from './workbench';

const PROMPT = 'A paper boat on a pond';
const OWN = 'photos/own.png';

describe('Image Studio: iterate on a result', { timeout: 420_000 }, () => {
  let wb: Workbench;

  /** Adding a reference from a new folder widens the view's resource roots, which may reload it: find it again. */
  const studioWith = (selector: string): Promise<Frame> => webviewFrame(wb.page, selector);
  const edits = () => wb.sandbox.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/images/edits'));

  /** Posts a message to the host as the page would, bypassing the page's own checks. */
  async function forge(studio: Frame, message: unknown): Promise<void> {
    const outer = studio.parentFrame();
    assert.ok(outer, 'the studio sits inside the webview host frame');
    await outer.evaluate((m) => {
      const post = (window as unknown as Record<string, (channel: string, data: unknown) => void>)['__vscode_post_message__'];
      post!('onmessage', { message: m });
    }, message);
  }

  before(async () => {
    // An image of the user's in the workspace that no history entry names.
    const own = await renderImage({ prompt: 'own', width: 512, height: 512, format: 'png', model: 'fixture', index: 0, total: 1 });
    wb = await openWorkbench('iterate', { settings: { 'gptImage.previews': 'off', 'gptImage.size': '1024x1024' }, files: { [OWN]: own } });
  });
  after(async () => {
    await wb?.close();
  });

  it('refines a result, shows the lineage, and runs an edit again with More like this', async () => {
    const { page } = wb;
    await runCommand(page, 'GPT Image: Open Image Studio');
    let studio = await studioWith('#prompt');
    await studio.fill('#prompt', PROMPT);
    await studio.click('#generate');
    await quickInput(page).locator('input[type="password"]').waitFor();
    await quickInput(page).locator('input[type="password"]').fill(wb.sandbox.key);
    await page.keyboard.press('Enter');
    await studio.locator('.result img').first().waitFor({ timeout: 60_000 });

    // A forged Refine of a file no history entry names changes nothing.
    await forge(studio, { type: 'refine', file: `file://${wb.workspace}/${OWN}` });
    await page.waitForTimeout(1000);
    assert.equal(await studio.locator('.reference-item').count(), 0, 'no reference taken');

    // Refine this on the job's result: the image becomes the reference and its prompt the form's.
    await studio.locator('.result [data-action="refine"]').first().click();
    studio = await studioWith('.reference-item');
    assert.equal(await studio.locator('.reference-item').count(), 1);
    assert.equal(await studio.locator('#prompt').inputValue(), PROMPT);
    await studio.fill('#prompt', `${PROMPT}, at night`);
    await studio.click('#generate');
    await studio.locator('.history-entry .lineage').first().waitFor({ timeout: 60_000 });
    assert.equal(edits().length, 1, 'the refine was sent as an edit');

    const refined = studio.locator('.history-entry').first();
    assert.match(await refined.locator('.lineage').innerText(), /Edit of .+\.png/);
    assert.match(await refined.locator('.parent-link').innerText(), /Refined from “A paper boat on a pond”/);
    await refined.scrollIntoViewIfNeeded();
    await wb.shot('lineage');

    // The link is a button: from the keyboard it scrolls to and highlights the entry refined.
    await refined.locator('.parent-link').focus();
    await page.keyboard.press('Enter');
    const parent = studio.locator('.history-entry.highlighted');
    await parent.waitFor();
    assert.match(await parent.locator('.entry-prompt').innerText(), /^A paper boat on a pond$/);
    assert.equal(await parent.evaluate((el) => el === document.activeElement), true, 'focus moves to it');
    await wb.shot('parent-highlighted');

    // More like this on the edit: the same request again, with the same source.
    await refined.locator('[data-action="moreLikeThis"]').click();
    await studio.locator('.job').nth(2).waitFor();
    await studio.locator('.job').first().locator('.result img').first().waitFor({ timeout: 60_000 });
    const [first, again] = edits();
    assert.ok(again, 'a second edit was sent');
    assert.deepEqual(again.json, first!.json);

    // Use prompt again on the edit brings the edit back: its prompt, and its source as the reference.
    await studio.locator('.reference-item button[aria-label^="Remove"]').click();
    await studio.locator('.reference-item').waitFor({ state: 'detached', timeout: 20_000 });
    await studio.fill('#prompt', 'something else');
    await refined.locator('[data-action="reusePrompt"]').click();
    studio = await studioWith('.reference-item');
    assert.equal(await studio.locator('#prompt').inputValue(), `${PROMPT}, at night`);
    assert.match(await studio.locator('.reference-item').innerText(), /a-paper-boat-on-a-pond-\d{8}-\d{6}\.png/);

    // A forged More like this of an entry that does not exist sends nothing.
    const before = wb.sandbox.requests.length;
    await forge(studio, { type: 'moreLikeThis', jobId: 'forged-1', entryId: 'no-such-entry' });
    await page.waitForTimeout(1000);
    assert.equal(wb.sandbox.requests.length, before, 'no request sent');
    await wb.shot('more-like-this');
  });
});
