// The demo's address as a new user follows it: the sample README opens as text, the cursor on a
// sentence, so "select a sentence, right-click, Generate Image" can be done as printed.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openWorkbench, type Workbench } from './workbench';

let wb: Workbench;

before(async () => {
  wb = await openWorkbench('demo', { settings: { 'workbench.startupEditor': 'none' }, openFile: { name: 'README.md', line: 3 } });
});
after(async () => wb?.close());

test('the sample README opens as a text editor with the cursor on its first sentence, and the sentence can be selected', async () => {
  const { page } = wb;
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.waitFor({ timeout: 30_000 });
  await page.locator('.tab.active', { hasText: 'README.md' }).waitFor();
  // A text editor, not the Markdown preview (a webview).
  assert.equal(await page.locator('.editor-instance iframe.webview').count(), 0);
  // The status bar names the cursor's place.
  await page.locator('.statusbar-item', { hasText: /Ln 3, Col 1/ }).waitFor({ timeout: 10_000 });
  await wb.shot('readme-as-text');
  // The editor has the keyboard: the sentence is selected as the printed instruction says.
  await page.keyboard.press('Shift+End');
  await page.locator('.statusbar-item', { hasText: /\(44 selected\)/ }).waitFor({ timeout: 10_000 });
  await wb.shot('sentence-selected');
});
