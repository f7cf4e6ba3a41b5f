import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownTarget, resolveCopyFilesDestination, type DestinationContext } from '../../src/core/destination';

const ctx: DestinationContext = {
  documentPath: '/ws/docs/guide/intro.md',
  workspaceFolderPath: '/ws',
  fileName: 'otter.png',
  now: new Date(Date.UTC(2026, 10, 25, 17, 30, 12, 345)),
};

const resolve = (config: Record<string, string>, over: Partial<DestinationContext> = {}) =>
  resolveCopyFilesDestination(config, { ...ctx, ...over });

describe('resolveCopyFilesDestination: matching', () => {
  it('returns undefined for an empty config or no matching key', () => {
    assert.equal(resolve({}), undefined);
    assert.equal(resolve({ '*.rst': 'images/' }), undefined);
    assert.equal(resolve({ '/other/**': 'images/' }), undefined);
  });

  it('matches a relative glob anywhere in the path, like VS Code', () => {
    assert.equal(resolve({ '*.md': 'images/' }), '/ws/docs/guide/images/otter.png');
    assert.equal(resolve({ 'guide/*.md': 'img/' }), '/ws/docs/guide/img/otter.png');
    assert.equal(resolve({ 'docs/**': 'img/' }), '/ws/docs/guide/img/otter.png');
    assert.equal(resolve({ '**/*.{md,mdx}': 'img/' }), '/ws/docs/guide/img/otter.png');
  });

  it('anchors a glob starting with / at the workspace folder', () => {
    assert.equal(resolve({ '/docs/**/*.md': '/assets/' }), '/ws/assets/otter.png');
    assert.equal(resolve({ '/guide/*.md': '/assets/' }), undefined);
    assert.equal(resolve({ '/docs/**/*.md': '/assets/' }, { workspaceFolderPath: undefined }), undefined);
  });

  it('uses the first matching key in insertion order', () => {
    assert.equal(resolve({ '*.rst': 'a/', '**/guide/**': 'b/', '*.md': 'c/' }), '/ws/docs/guide/b/otter.png');
  });

  it('skips non-string values', () => {
    assert.equal(resolve({ '*.md': 42 as unknown as string, '**': 'ok/' }), '/ws/docs/guide/ok/otter.png');
  });
});

describe('resolveCopyFilesDestination: destinations', () => {
  it('treats a trailing slash as a folder and other values as a file path', () => {
    assert.equal(resolve({ '**': 'media/' }), '/ws/docs/guide/media/otter.png');
    assert.equal(resolve({ '**': 'media/${fileName}' }), '/ws/docs/guide/media/otter.png');
    assert.equal(resolve({ '**': 'media/picture.png' }), '/ws/docs/guide/media/picture.png');
  });

  it('resolves a leading slash against the workspace folder, or the document folder without one', () => {
    assert.equal(resolve({ '**': '/static/img/' }), '/ws/static/img/otter.png');
    assert.equal(resolve({ '**': '/static/img/' }, { workspaceFolderPath: undefined }), '/ws/docs/guide/static/img/otter.png');
  });

  it('resolves relative paths against the document folder', () => {
    assert.equal(resolve({ '**': '../../assets/' }), '/ws/assets/otter.png');
    assert.equal(resolve({ '**': './a/./b/../c/' }), '/ws/docs/guide/a/c/otter.png');
  });

  it('uses the file name for an empty or blank destination', () => {
    assert.equal(resolve({ '**': '' }), '/ws/docs/guide/otter.png');
    assert.equal(resolve({ '**': '   ' }), '/ws/docs/guide/otter.png');
  });
});

describe('resolveCopyFilesDestination: variables', () => {
  const expand = (dest: string, over: Partial<DestinationContext> = {}) => resolve({ '**': dest }, over);

  it('expands the document variables', () => {
    assert.equal(expand('${documentDirName}/x/'), '/ws/docs/guide/x/otter.png');
    assert.equal(expand('/img/${documentRelativeDirName}/'), '/ws/img/docs/guide/otter.png');
    assert.equal(expand('${documentBaseName}/'), '/ws/docs/guide/intro/otter.png');
    assert.equal(expand('${documentFileName}.${documentExtName}/'), '/ws/docs/guide/intro.md.md/otter.png');
    assert.equal(expand('/img/${documentRelativeFilePath}/'), '/ws/img/docs/guide/intro.md/otter.png');
    assert.equal(expand('${documentFilePath}-assets/'), '/ws/docs/guide/intro.md-assets/otter.png');
    assert.equal(expand('${documentWorkspaceFolder}/media/'), '/ws/media/otter.png');
  });

  it('falls back like VS Code outside a workspace folder', () => {
    const noWs = { workspaceFolderPath: undefined };
    assert.equal(expand('${documentWorkspaceFolder}/m/', noWs), '/ws/docs/guide/m/otter.png');
    assert.equal(expand('${documentRelativeDirName}/m/', noWs), '/ws/docs/guide/m/otter.png');
    assert.equal(expand('${documentRelativeFilePath}.d/', noWs), '/ws/docs/guide/intro.md.d/otter.png');
  });

  it('expands the file and time variables', () => {
    assert.equal(expand('img/${fileExtName}/${fileName}'), '/ws/docs/guide/img/png/otter.png');
    assert.equal(expand('img/${fileBaseName}-copy.${fileExtName}'), '/ws/docs/guide/img/otter-copy.png');
    assert.equal(expand('img/${unixTime}/'), `/ws/docs/guide/img/${ctx.now!.getTime()}/otter.png`);
    assert.equal(expand('img/${isoTime}/'), '/ws/docs/guide/img/2026-11-25T17:30:12.345Z/otter.png');
  });

  it('leaves unknown variables as written and honours \\$ escapes', () => {
    assert.equal(expand('img/${nope}/'), '/ws/docs/guide/img/${nope}/otter.png');
    assert.equal(expand('img/\\${fileName}/'), '/ws/docs/guide/img/${fileName}/otter.png');
    assert.equal(expand('img/cost\\$/'), '/ws/docs/guide/img/cost$/otter.png');
  });

  it('applies ${name/regexp/replacement/} transforms', () => {
    assert.equal(expand('img/${documentBaseName/intro/start/}/'), '/ws/docs/guide/img/start/otter.png');
    assert.equal(expand('/img/${documentRelativeDirName/^docs\\/(.*)$/$1/}/'), '/ws/img/guide/otter.png');
    // VS Code ignores a transform with an empty replacement, and an invalid regexp.
    assert.equal(expand('img/${documentBaseName/intro//}/'), '/ws/docs/guide/img/intro/otter.png');
    assert.equal(expand('img/${documentBaseName/(/x/}/'), '/ws/docs/guide/img/intro/otter.png');
  });

  it('works with Windows-style URI paths', () => {
    const win = { documentPath: '/c:/Users/me/proj/README.md', workspaceFolderPath: '/c:/Users/me/proj' };
    assert.equal(expand('/assets/${documentBaseName}/', win), '/c:/Users/me/proj/assets/README/otter.png');
    assert.equal(expand('../', win), '/c:/Users/me/otter.png');
  });
});

describe('markdownTarget: a workspace-chosen rule stays inside the workspace', () => {
  const ws = { ...ctx, workspaceFolderPath: '/ws', fileName: 'otter-20261125-173012.png' };
  const target = (dest: string) => markdownTarget({ '**/*.md': dest }, ws);
  const refused = (dest: string, why: RegExp) => {
    const t = target(dest);
    assert.ok(t && !t.ok, `${dest} must be refused`);
    assert.match(t.message, /markdown\.copyFiles\.destination/);
    assert.match(t.message, why);
  };

  it('gives the folder below the workspace and a safe base name, never the extension', () => {
    assert.deepEqual(target('assets/${fileName}'), { ok: true, folder: ['docs', 'guide', 'assets'], baseName: 'otter-20261125-173012' });
    assert.deepEqual(target('/static/img/'), { ok: true, folder: ['static', 'img'], baseName: 'otter-20261125-173012' });
    assert.deepEqual(target('../../assets/'), { ok: true, folder: ['assets'], baseName: 'otter-20261125-173012' });
    // The rule may name the file, but only its base name is used, made safe like any other.
    assert.deepEqual(target('/docs/assets/evil.desktop'), { ok: true, folder: ['docs', 'assets'], baseName: 'evil' });
    assert.deepEqual(target('img/My Logo (v2).SVG'), { ok: true, folder: ['docs', 'guide', 'img'], baseName: 'my-logo-v2' });
    assert.deepEqual(target('img/.htaccess'), { ok: true, folder: ['docs', 'guide', 'img'], baseName: 'htaccess' });
  });

  it('is undefined when no rule matches', () => {
    assert.equal(markdownTarget({ '*.rst': 'img/' }, ws), undefined);
  });

  it('refuses rules that leave the workspace folder, with either separator', () => {
    refused('../../../outside/${fileName}', /leads outside the workspace folder/);
    refused('..\\..\\..\\Users\\Public\\evil.bat', /leads outside the workspace folder/);
    refused('${documentWorkspaceFolder}/../x.png', /leads outside the workspace folder/);
    refused('/tmp-${documentBaseName/.*/..\\/..\\/..\\/etc/}/x.png', /leads outside|".."/);
  });

  it('refuses drive letters, network paths and names Windows cannot hold', () => {
    refused('C:\\Users\\Public\\evil.bat', /drive letter/);
    refused('c:/x/', /drive letter/);
    refused('\\\\server\\share\\x.png', /network \(UNC\) path/);
    refused('//server/share/', /network \(UNC\) path/);
    refused('img/${isoTime}/', /":"/);
    refused('img/con/', /reserves for devices/);
    refused('img/a:b/x.png', /":"/);
  });

  it('works with Windows-style URI paths', () => {
    const win = { ...ws, documentPath: '/c:/Users/me/proj/README.md', workspaceFolderPath: '/c:/Users/me/proj' };
    assert.deepEqual(markdownTarget({ '**': '/assets/' }, win), { ok: true, folder: ['assets'], baseName: 'otter-20261125-173012' });
    const out = markdownTarget({ '**': '../' }, win);
    assert.ok(out && !out.ok);
  });
});
