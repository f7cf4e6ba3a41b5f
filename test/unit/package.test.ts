import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the manifest is free-form JSON
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, any>;
const vsix = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);

/** Names and sizes from a zip's central directory (enough to audit a .vsix without a dependency). */
function zipEntries(file: string): { name: string; size: number }[] {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out: { name: string; size: number }[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    out.push({ name: buf.subarray(at + 46, at + 46 + nameLen).toString('utf8'), size });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

test('the .vsix holds only what runs, and stays under 1 MB', () => {
  assert.ok(fs.existsSync(vsix), `${vsix} exists (npm run package)`);
  assert.ok(fs.statSync(vsix).size < 1_000_000, `vsix is ${fs.statSync(vsix).size} bytes`);
  const names = zipEntries(vsix).map((e) => e.name);
  const allowed = [
    /^\[Content_Types\]\.xml$/,
    /^extension\.vsixmanifest$/,
    /^extension\/package\.json$/,
    /^extension\/package\.nls(\.[a-z-]+)?\.json$/,
    /^extension\/(readme|changelog)\.md$/i,
    /^extension\/LICENSE(\.txt)?$/i,
    /^extension\/dist\/(web\/)?(extension|webview|preview)\.js$/,
    /^extension\/dist\/(webview|preview|codicon)\.(css|ttf)$/,
    /^extension\/media\//,
    /^extension\/l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/,
  ];
  const stray = names.filter((n) => !allowed.some((re) => re.test(n)));
  assert.deepEqual(stray, [], 'nothing but bundles, media, manifest, docs and l10n');
  for (const must of [
    'extension/dist/extension.js',
    'extension/dist/web/extension.js',
    'extension/dist/webview.js',
    'extension/dist/preview.js',
    'extension/package.json',
    'extension/media/icon.png',
  ]) {
    assert.ok(names.includes(must), `${must} is packaged`);
  }
  assert.ok(!names.some((n) => n.endsWith('.map')), 'no source maps');
});

test('bundle budgets: extension and its web build under 350 KB each, webview under 100 KB, preview page under 60 KB (minified)', () => {
  const ext = fs.statSync(path.join(ROOT, 'dist', 'extension.js')).size;
  const webExt = fs.statSync(path.join(ROOT, 'dist', 'web', 'extension.js')).size;
  assert.ok(webExt < 350_000, `dist/web/extension.js is ${webExt} bytes`);
  assert.equal(pkg.browser, './dist/web/extension.js', 'the manifest offers the web build');
  const web = fs.statSync(path.join(ROOT, 'dist', 'webview.js')).size;
  const preview = fs.statSync(path.join(ROOT, 'dist', 'preview.js')).size;
  assert.ok(ext < 350_000, `dist/extension.js is ${ext} bytes`);
  assert.ok(web < 100_000, `dist/webview.js is ${web} bytes`);
  assert.ok(preview < 60_000, `dist/preview.js is ${preview} bytes`);
  assert.ok(
    !fs.readFileSync(path.join(ROOT, 'dist', 'extension.js'), 'utf8').includes('sourceMappingURL'),
    'production build has no source map',
  );
});

test("the web build reaches for no Node global (the worker has none), a dependency's included", () => {
  const web = fs.readFileSync(path.join(ROOT, 'dist', 'web', 'extension.js'), 'utf8');
  const uses: [string, RegExp][] = [
    ['Buffer', /(?<![\w$])Buffer(?![\w$])/],
    ['__dirname or __filename', /(?<![\w$])__(dirname|filename)(?![\w$])/],
    ['process, global or setImmediate', /(?<![\w$.])(process|global|setImmediate)\s*[.[(]/],
    ['require of anything but vscode', /(?<![\w$.])require\((?!"vscode"\))/],
  ];
  for (const [name, use] of uses) {
    const at = web.search(use);
    assert.equal(at, -1, `${name} in dist/web/extension.js: …${web.slice(Math.max(0, at - 80), at + 80)}…`);
  }
});

test('ready to publish: a 128x128 icon, a gallery banner, categories, keywords, and where it runs', () => {
  const icon = fs.readFileSync(path.join(ROOT, pkg.icon));
  assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128], 'icon size');
  assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
  assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
  // The Marketplace's own list; an unknown category is dropped there.
  const known = ['AI', 'Chat', 'Visualization', 'Other', 'Education', 'Notebooks', 'Snippets'];
  assert.ok(pkg.categories.length && pkg.categories.every((c: string) => known.includes(c)), String(pkg.categories));
  assert.ok(pkg.keywords.length >= 5 && pkg.keywords.length <= 30, 'the Marketplace takes at most 30 keywords');
  // Beside the workspace's files in Remote-SSH, WSL, containers and Codespaces; the key stays in the local secret storage.
  assert.deepEqual(pkg.extensionKind, ['workspace']);
  assert.ok(pkg.license && pkg.description && pkg.displayName);
});

test('the manifest keeps the public contract', () => {
  assert.deepEqual(pkg.activationEvents, []);
  assert.equal(pkg.engines.vscode, '^1.100.0');
  const ids = pkg.contributes.commands.map((c: { command: string }) => c.command);
  for (const id of ['gptImage.generate', 'gptImage.setApiKey', 'gptImage.clearApiKey', 'gptImage.showLog']) assert.ok(ids.includes(id), id);
  const props = pkg.contributes.configuration.properties as Record<string, { scope?: string; markdownDescription?: string }>;
  for (const [key, prop] of Object.entries(props)) {
    assert.ok(prop.scope, `${key} has a scope`);
    assert.ok(prop.markdownDescription, `${key} has a markdownDescription`);
  }
  assert.equal(props['gptImage.baseUrl']!.scope, 'application', 'a workspace cannot redirect the key');
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('gptImage.baseUrl'));
  const menu = pkg.contributes.menus['editor/context'].find((m: { command: string }) => m.command === 'gptImage.generate');
  assert.equal(menu.when, 'editorHasSelection');
  // Every %key% used in the manifest is defined, in English and in each translation.
  const used = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
  for (const file of fs.readdirSync(ROOT).filter((f) => /^package\.nls(\.[a-z-]+)?\.json$/.test(f))) {
    const nls = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, string>;
    for (const key of used) assert.ok(nls[key], `${file} defines ${key}`);
  }
});
