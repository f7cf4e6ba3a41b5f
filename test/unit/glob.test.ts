import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { globToRegExp } from '../../src/core/glob';

const CASES: Array<[glob: string, path: string, expected: boolean]> = [
  ['*.md', 'intro.md', true],
  ['*.md', 'docs/intro.md', false],
  ['*.md', '.hidden.md', true],
  ['**/*.md', '/ws/docs/intro.md', true],
  ['**/*.md', 'intro.md', true],
  ['**/*.md', '/ws/docs/intro.markdown', false],
  ['**/docs/**/*.md', '/ws/docs/intro.md', true],
  ['**/docs/**/*.md', '/ws/docs/a/b/c/intro.md', true],
  ['**/docs/**/*.md', '/ws/other/intro.md', false],
  ['**/docs/**', '/ws/docs', true],
  ['**/docs/**', '/ws/docs/x/y.md', true],
  ['**/docs/**', '/ws/docsx/y.md', false],
  ['/ws/docs/*.md', '/ws/docs/a.md', true],
  ['/ws/docs/*.md', '/ws/docs/sub/a.md', false],
  ['/ws/**/.github/*.md', '/ws/a/.github/README.md', true],
  ['**/?.md', '/ws/a.md', true],
  ['**/?.md', '/ws/ab.md', false],
  ['**/*.{md,mdx}', '/ws/a.mdx', true],
  ['**/*.{md,mdx}', '/ws/a.txt', false],
  ['**/{docs,guide/{a,b}}/*.md', '/ws/guide/b/x.md', true],
  ['**/{docs,guide/{a,b}}/*.md', '/ws/guide/c/x.md', false],
  ['**/[abc].md', '/ws/b.md', true],
  ['**/[abc].md', '/ws/d.md', false],
  ['**/[^abc].md', '/ws/d.md', true],
  ['**/[^abc].md', '/ws/a.md', false],
  ['**/[!abc].md', '/ws/!.md', true],
  ['**/[!abc].md', '/ws/d.md', false],
  ['**/[a-c]x.md', '/ws/bx.md', true],
  ['**/a.b(c)+d$.md', '/ws/a.b(c)+d$.md', true],
  ['**/a.b(c)+d$.md', '/ws/aXb(c)+d$.md', false],
  ['**/\\*.md', '/ws/*.md', true],
  ['**/\\*.md', '/ws/x.md', false],
  ['**/[unclosed.md', '/ws/[unclosed.md', true],
  ['**/{unclosed.md', '/ws/{unclosed.md', true],
  ['**/README.md', '/ws/readme.md', false],
  ['**', '/anything/at/all.md', true],
  ['a**b/*.md', 'axxb/c.md', true],
];

describe('globToRegExp', () => {
  it('matches like picomatch for the supported syntax', () => {
    for (const [glob, path, expected] of CASES) {
      assert.equal(globToRegExp(glob).test(path), expected, `${glob} ~ ${path}`);
    }
  });

  it('agrees with picomatch when it is installed', (t) => {
    let picomatch: { isMatch(path: string, glob: string, opts: object): boolean } | undefined;
    try {
      picomatch = createRequire(__filename)('picomatch');
    } catch {
      t.skip('picomatch is not installed');
      return;
    }
    // Deliberate differences: picomatch gives '(...)+' regex/extglob meaning and reads an
    // unclosed '[' or '{' its own way; here they are literal characters.
    const differ = new Set(['**/a.b(c)+d$.md', '**/[unclosed.md', '**/{unclosed.md']);
    // Every glob against every path, not just its own case.
    const paths = [...new Set(CASES.map(([, path]) => path))];
    for (const glob of new Set(CASES.map(([g]) => g))) {
      if (differ.has(glob)) continue;
      for (const path of paths) {
        assert.equal(globToRegExp(glob).test(path), picomatch!.isMatch(path, glob, { dot: true }), `${glob} ~ ${path}`);
      }
    }
  });

  it('stays fast on very deep paths', () => {
    const deep = '/' + 'a/'.repeat(5000) + 'b.txt';
    const started = Date.now();
    assert.equal(globToRegExp('**/**/**/*.md').test(deep), false);
    assert.equal(globToRegExp('/ws/**/**/x/**/*.md').test(deep), false);
    assert.ok(Date.now() - started < 1000);
  });
});
