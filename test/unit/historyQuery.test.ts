import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesQuery, pageOf } from '../../src/sidebar/historyQuery';

const entries = Array.from({ length: 1000 }, (_, i) => ({
  id: String(i),
  prompt: i % 10 === 0 ? `Crème brûlée number ${i}` : `sea otter ${i}`,
  model: 'gpt-image-2',
}));

describe('history search and paging', () => {
  it('matches every word, ignoring case and accents', () => {
    assert.ok(matchesQuery({ prompt: 'Crème Brûlée on a table', model: 'm' }, 'creme TABLE'));
    assert.ok(!matchesQuery({ prompt: 'Crème Brûlée', model: 'm' }, 'creme otter'));
    assert.ok(matchesQuery({ prompt: 'x', model: 'dall-e-3' }, 'dall'));
    assert.ok(matchesQuery({ prompt: 'x', model: 'm' }, '   '));
  });

  it('pages the matches in stored (newest first) order', () => {
    const first = pageOf(entries, '', 0, 50);
    assert.equal(first.total, 1000);
    assert.deepEqual(
      first.entries.map((e) => e.id),
      entries.slice(0, 50).map((e) => e.id),
    );
    const found = pageOf(entries, 'creme', 50, 50);
    assert.equal(found.total, 100);
    assert.equal(found.entries.length, 50);
    assert.equal(found.entries[0]!.id, '500');
    assert.deepEqual(pageOf(entries, 'creme', 100, 50).entries, []);
  });
});
