// Our POSIX path helpers stand in for node:path's posix ones where there is no Node (the web
// extension host): they must give the same results on the paths the extension meets.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { basename, dirname, extname, isAbsolute, join, normalize, relative } from '../../src/core/posixPath';

const PATHS = [
  '/ws/docs/a.md',
  '/ws/docs/',
  '/c:/Users/me/a.md',
  '/ws/./docs/../img/x.png',
  '/ws//docs///a.b.c',
  '/../a',
  '/',
  '',
  '.',
  '..',
  'a/../../b',
  'img/',
  './img/x',
  '/ws/.hidden',
  '/ws/name.',
  'images/${documentBaseName}/x.png',
];

test('normalize, dirname, basename, extname and isAbsolute match node:path.posix', () => {
  for (const p of PATHS) {
    assert.equal(normalize(p), path.posix.normalize(p), `normalize(${p})`);
    assert.equal(dirname(p), path.posix.dirname(p), `dirname(${p})`);
    assert.equal(basename(p), path.posix.basename(p), `basename(${p})`);
    assert.equal(extname(p), path.posix.extname(p), `extname(${p})`);
    assert.equal(isAbsolute(p), path.posix.isAbsolute(p), `isAbsolute(${p})`);
  }
});

test('join and relative match node:path.posix', () => {
  const pairs: [string, string][] = [
    ['/ws', 'docs/a.md'],
    ['/ws/docs', '../img/x.png'],
    ['/ws/', '/abs'],
    ['', 'a'],
    ['/ws/docs', '/ws/docs'],
    ['/ws/docs/deep', '/ws/img/x.png'],
    ['/ws', '/ws/docs/a.md'],
    ['/', '/a/b'],
    ['/ws/a', '/other'],
  ];
  for (const [a, b] of pairs) {
    assert.equal(join(a, b), path.posix.join(a, b), `join(${a}, ${b})`);
    if (a.startsWith('/') && b.startsWith('/')) assert.equal(relative(a, b), path.posix.relative(a, b), `relative(${a}, ${b})`);
  }
});
