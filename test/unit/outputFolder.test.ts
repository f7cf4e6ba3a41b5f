import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkOutputFolder, isInside } from '../../src/core/outputFolder';

function segments(setting: string): string[] {
  const r = checkOutputFolder(setting);
  assert.ok(r.ok, `expected ${JSON.stringify(setting)} to be accepted: ${r.ok ? '' : r.message}`);
  return r.segments;
}

function message(setting: string): string {
  const r = checkOutputFolder(setting);
  assert.ok(!r.ok, `expected ${JSON.stringify(setting)} to be rejected`);
  assert.match(r.message, /gptImage\.outputFolder/);
  return r.message;
}

describe('checkOutputFolder: accepted', () => {
  it('splits relative paths on / and \\', () => {
    assert.deepEqual(segments('images'), ['images']);
    assert.deepEqual(segments('docs/images/generated'), ['docs', 'images', 'generated']);
    assert.deepEqual(segments('docs\\images'), ['docs', 'images']);
  });

  it('skips empty and . segments and trims the value', () => {
    assert.deepEqual(segments('./docs//images/'), ['docs', 'images']);
    assert.deepEqual(segments('  images  '), ['images']);
    assert.deepEqual(segments('.'), []);
  });

  it('means the workspace folder itself when empty', () => {
    assert.deepEqual(segments(''), []);
    assert.deepEqual(segments('   '), []);
  });

  it('allows .. that stays inside', () => {
    assert.deepEqual(segments('a/b/../c'), ['a', 'c']);
    assert.deepEqual(segments('a/..'), []);
  });

  it('allows names that only look special', () => {
    assert.deepEqual(segments('.images/con-images/console/com10/café 🦦/~tmp'), [
      '.images',
      'con-images',
      'console',
      'com10',
      'café 🦦',
      '~tmp',
    ]);
  });
});

describe('checkOutputFolder: rejected', () => {
  it('rejects absolute paths', () => {
    assert.match(message('/etc/images'), /absolute.*relative to the workspace folder/);
    assert.match(message('\\images'), /absolute/);
    assert.match(message('C:\\images'), /drive letter/);
    assert.match(message('c:images'), /drive letter/);
    assert.match(message('D:/x'), /drive letter/);
    assert.match(message('\\\\server\\share\\images'), /network \(UNC\)/);
    assert.match(message('//server/share'), /network \(UNC\)/);
  });

  it('rejects ~ which is not expanded', () => {
    assert.match(message('~/images'), /"~"/);
    assert.match(message('~'), /"~"/);
  });

  it('rejects .. that escapes the workspace folder', () => {
    assert.match(message('..'), /outside the workspace folder/);
    assert.match(message('../images'), /outside/);
    assert.match(message('a/../../images'), /outside/);
    assert.match(message('a\\..\\..\\images'), /outside/);
  });

  it('rejects characters Windows does not allow', () => {
    for (const c of ['<', '>', ':', '"', '|', '?', '*']) {
      assert.match(message(`img${c}s`), new RegExp(`"\\${c}"`), c);
    }
    assert.match(message('img\u0000s'), /control character/);
    assert.match(message('a/img\ns'), /control character/);
  });

  it('rejects Windows reserved device names, with or without extension', () => {
    for (const name of ['con', 'CON', 'prn', 'aux', 'nul', 'com1', 'COM9', 'lpt1', 'lpt9', 'nul.txt', 'com¹', 'images/aux']) {
      assert.match(message(name), /reserves for devices/, name);
    }
  });

  it('rejects names ending in a dot or space', () => {
    assert.match(message('images.'), /trailing space or dot/);
    assert.match(message('images /x'), /space or dot/);
    assert.match(message('a/.../b'), /space or dot/);
  });

  it('rejects overlong names', () => {
    assert.match(message('x'.repeat(256)), /longer than 255/);
    assert.deepEqual(segments('x'.repeat(255)), ['x'.repeat(255)]);
  });
});

describe('isInside', () => {
  it('checks POSIX containment after normalisation', () => {
    assert.equal(isInside('/ws', '/ws/images'), true);
    assert.equal(isInside('/ws', '/ws/images/a/b.png'), true);
    assert.equal(isInside('/ws/', '/ws/images'), true);
    assert.equal(isInside('/ws', '/ws'), true);
    assert.equal(isInside('/ws', '/ws2'), false);
    assert.equal(isInside('/ws', '/ws2/images'), false);
    assert.equal(isInside('/ws', '/'), false);
    assert.equal(isInside('/ws/images', '/ws'), false);
  });

  it('resolves . and .. before comparing', () => {
    assert.equal(isInside('/ws', '/ws/images/../../etc/passwd'), false);
    assert.equal(isInside('/ws', '/ws/./a/../b'), true);
    assert.equal(isInside('/ws/a/..', '/ws/b'), true);
    assert.equal(isInside('/ws', '//ws//images'), true);
  });

  it('treats a root parent as containing everything', () => {
    assert.equal(isInside('/', '/anything'), true);
  });

  it('compares Windows drive letters case-insensitively', () => {
    assert.equal(isInside('/C:/Users/me/ws', '/c:/Users/me/ws/img'), true);
    assert.equal(isInside('C:/Users/me/ws', 'c:/Users/me/ws/img'), true);
    assert.equal(isInside('/c:/ws', '/d:/ws/img'), false);
  });
});
