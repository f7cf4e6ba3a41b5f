import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cacheKeyOf,
  cleanModelIds,
  entryFor,
  isFresh,
  MAX_CACHED_GATEWAYS,
  MAX_MODEL_IDS,
  MODEL_LIST_MAX_AGE_MS,
  parseModelCache,
  withEntry,
} from '../../src/core/modelCache';

const DAY = MODEL_LIST_MAX_AGE_MS;
const NOW = Date.UTC(2026, 4, 3, 12);

test('the cache key is the normalised API root, so spellings of one gateway share an entry', () => {
  for (const url of [
    'https://api.example.com',
    'https://api.example.com/',
    'https://API.example.com/v1/',
    ' https://api.example.com/v1 ',
  ]) {
    assert.equal(cacheKeyOf(url), 'https://api.example.com/v1', url);
  }
  assert.equal(cacheKeyOf('https://api.example.com/openai'), 'https://api.example.com/openai/v1', 'a path prefix is its own gateway');
  assert.equal(cacheKeyOf('http://gateway.example.com'), undefined, 'a base URL the client refuses has no entry');
  assert.equal(cacheKeyOf(''), undefined);
});

test('an entry is fresh for a day, and stale when fetched in the future', () => {
  const at = (fetchedAt: number) => ({ ids: ['gpt-image-1'], fetchedAt });
  assert.equal(isFresh(undefined, NOW), false);
  assert.equal(isFresh(at(NOW), NOW), true);
  assert.equal(isFresh(at(NOW - DAY + 1), NOW), true);
  assert.equal(isFresh(at(NOW - DAY), NOW), false);
  assert.equal(DAY, 24 * 60 * 60 * 1000, 'a day, as the README says');
  assert.equal(isFresh(at(NOW + 60_000), NOW), true, 'a little clock skew is tolerated');
  assert.equal(isFresh(at(NOW + DAY), NOW), false, 'a clock set back does not keep a list forever');
  assert.equal(isFresh(at(NOW - 10), NOW, 5), false, 'the age limit can be given');
});

test('entries belong to their own base URL', () => {
  let cache = withEntry({}, 'https://a.example.com/v1', ['gpt-image-1'], NOW);
  cache = withEntry(cache, 'https://b.example.com/v1', ['dall-e-3'], NOW + 1);
  assert.deepEqual(entryFor(cache, 'https://a.example.com/v1'), { ids: ['gpt-image-1'], fetchedAt: NOW });
  assert.deepEqual(entryFor(cache, 'https://b.example.com/v1'), { ids: ['dall-e-3'], fetchedAt: NOW + 1 });
  assert.equal(entryFor(cache, 'https://c.example.com/v1'), undefined);
  assert.equal(entryFor(cache, 'constructor'), undefined, 'inherited names are not entries');
  cache = withEntry(cache, 'https://a.example.com/v1', ['gpt-image-2'], NOW + 2);
  assert.deepEqual(entryFor(cache, 'https://a.example.com/v1'), { ids: ['gpt-image-2'], fetchedAt: NOW + 2 }, 'a refetch replaces');
  assert.equal(Object.keys(cache).length, 2);
});

test('past the limit the oldest other gateway is dropped, never the one just fetched', () => {
  let cache = {};
  for (let i = 0; i < MAX_CACHED_GATEWAYS; i++) cache = withEntry(cache, `https://g${i}.example.com/v1`, ['m'], NOW + i);
  // Fetched "earlier" than all the others (a clock set back), and still kept.
  cache = withEntry(cache, 'https://new.example.com/v1', ['m'], NOW - DAY);
  assert.equal(Object.keys(cache).length, MAX_CACHED_GATEWAYS);
  assert.ok(entryFor(cache, 'https://new.example.com/v1'));
  assert.equal(entryFor(cache, 'https://g0.example.com/v1'), undefined, 'the oldest went');
  assert.ok(entryFor(cache, 'https://g1.example.com/v1'));
});

test('a stored cache is checked entry by entry; an older version’s plain id list reads as empty', () => {
  assert.deepEqual(parseModelCache(['gpt-image-1', 'dall-e-3']), {}, 'the 0.x studio list (gateway unknown) is ignored');
  for (const junk of [undefined, null, 'x', 42]) assert.deepEqual(parseModelCache(junk), {});
  const stored = {
    'https://ok.example.com/v1': { ids: ['gpt-image-1', '<script>', 7], fetchedAt: NOW },
    'https://ok.example.com/': { ids: ['a'], fetchedAt: NOW }, // not a normalised key
    'https://bad-time.example.com/v1': { ids: ['a'], fetchedAt: 'yesterday' },
    'https://negative.example.com/v1': { ids: ['a'], fetchedAt: -1 },
    'https://no-ids.example.com/v1': { fetchedAt: NOW },
    'http://plain.example.com/v1': { ids: ['a'], fetchedAt: NOW }, // the client would refuse it
  };
  assert.deepEqual(parseModelCache(stored), { 'https://ok.example.com/v1': { ids: ['gpt-image-1'], fetchedAt: NOW } });
});

test('cleanModelIds keeps id-shaped strings once, image models first, and at most 500', () => {
  assert.deepEqual(cleanModelIds(['gpt-4o', 'gpt-image-1', 'dall-e-3', 'gpt-4o', 'flux.1/pro', 'a b', '', null, '../x']), [
    'gpt-image-1',
    'dall-e-3',
    'gpt-4o',
    'flux.1/pro',
  ]);
  const many = Array.from({ length: 600 }, (_, i) => `model-${i}`);
  assert.equal(cleanModelIds(many).length, MAX_MODEL_IDS);
});

test('a list fetched at time 0 is still a list (only negative times are refused)', () => {
  const cache = parseModelCache({
    'https://a.example/v1': { ids: ['m'], fetchedAt: 0 },
    'https://b.example/v1': { ids: ['m'], fetchedAt: -1 },
  });
  assert.deepEqual(entryFor(cache, 'https://a.example/v1')?.ids, ['m']);
  assert.equal(entryFor(cache, 'https://b.example/v1'), undefined);
});
