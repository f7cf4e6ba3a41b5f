import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { editorText, openFile, openWorkbench, quickInput, runCommand, selectLine, type Workbench } from './workbench';

/** Finds the images the extension saved, with their sizes on disk. */
function savedImages(workspace: string): string[] {
  const dir = path.join(workspace, 'images');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

describe('Generate Image in the workbench', { timeout: 300_000 }, () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench('generate');
  });
  after(async () => {
    await wb?.close();
  });

  it('right-click on a selection → Generate Image → 1536x1024 → link inserted', async () => {
    const { page } = wb;
    await openFile(page, 'README.md');
    await selectLine(page, 3);
    await wb.shot('selection');
    // Right-click on the selection itself: elsewhere would move the cursor and drop it.
    const selected = page.locator('.monaco-editor .selected-text >> visible=true').first();
    await selected.waitFor();
    const box = await selected.boundingBox();
    assert.ok(box, 'the selection is drawn');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
    const item = page.locator('.context-view .action-label', { hasText: 'Generate Image' });
    await item.waitFor();
    await wb.shot('context-menu');
    await item.click();

    const input = quickInput(page).locator('input');
    await quickInput(page).locator('.monaco-list-row', { hasText: '1536x1024' }).first().waitFor();
    await wb.shot('size-pick');
    await input.fill('1536x1024');
    await page.waitForTimeout(300);
    await wb.shot('size-pick-filtered');
    const rows = await quickInput(page).locator('.monaco-list-row').allInnerTexts();
    assert.ok(rows.length >= 1 && rows[0]!.includes('1536x1024'), `filtered rows: ${rows.join(' | ')}`);
    assert.ok(rows[0]!.includes('3:2'), 'the size is described with its ratio');
    await page.keyboard.press('Enter');

    // No key stored yet: a masked input box asks for it and the flow goes on.
    await quickInput(page).locator('input[type="password"]').waitFor();
    await wb.shot('api-key');
    await quickInput(page).locator('input[type="password"]').fill(wb.sandbox.key);
    await page.keyboard.press('Enter');

    await page.locator('.monaco-editor .view-lines', { hasText: '![' }).first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await wb.shot('link-inserted');
    const text = await editorText(page);
    const files = savedImages(wb.workspace);
    assert.equal(files.length, 1, `one image saved: ${files.join(', ')}`);
    assert.match(files[0]!, /^a-lighthouse-on-a-cliff-at-dawn-watercolor-\d{8}-\d{6}\.png$/);
    // The editor wraps long lines: compare without the wrap points.
    assert.ok(text.replace(/\n/g, '').includes(`](images/${files[0]})`), `link to the file in:\n${text}`);
    const generation = wb.sandbox.requests.filter((r) => r.path.startsWith('/v1/images/generations'));
    assert.equal(generation.length, 1);
    assert.equal((generation[0]!.json as { size?: string }).size, '1536x1024');
  });

  it('from the palette without a selection: prompt box, size pick, link at the cursor', async () => {
    const { page } = wb;
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await runCommand(page, 'GPT Image: Generate Image');
    const input = quickInput(page).locator('input');
    await input.waitFor();
    await input.fill('A red paper boat on a pond');
    await wb.shot('prompt-box');
    await page.keyboard.press('Enter');
    await quickInput(page).locator('.monaco-list-row', { hasText: 'Last used' }).first().waitFor();
    await wb.shot('size-pick-last-used');
    await input.fill('1024x1024');
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines', { hasText: 'red paper boat' }).first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await wb.shot('second-link');
    const files = savedImages(wb.workspace);
    assert.equal(files.length, 2);
    assert.ok(files.some((f) => f.startsWith('a-red-paper-boat-on-a-pond-')));
  });
});
