import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { historyEntrySchema, recordRequest } from '../../src/core/historyEntry';

const file = { uri: 'file:///ws/images/otter.png', width: 1024, height: 1024, format: 'png' };
/** An entry as versions before edits were told apart wrote it. */
const old = { id: '1-abc', time: 1, prompt: 'a sea otter', model: 'gpt-image-1', size: '1024x1024', status: 'succeeded', files: [file] };

describe('history entries', () => {
  it('still reads entries written before kind, sources, request and parent', () => {
    const parsed = historyEntrySchema.safeParse(old);
    assert.ok(parsed.success);
    assert.equal(parsed.data.kind, undefined);
    assert.equal(parsed.data.request, undefined);
  });

  it('reads an edit with its sources, mask, request and parent', () => {
    const edit = {
      ...old,
      id: '2-def',
      kind: 'edit',
      sources: ['file:///ws/images/otter.png', 'file:///ws/photos/sky.png'],
      mask: true,
      request: {
        model: 'gpt-image-1',
        size: '1024x1024',
        quality: 'high',
        outputFormat: 'webp',
        n: 2,
        inputFidelity: 'high',
        partialImages: 2,
      },
      parent: '1-abc',
    };
    const parsed = historyEntrySchema.safeParse(edit);
    assert.ok(parsed.success);
    assert.deepEqual(parsed.data, edit);
  });

  it('refuses new fields of the wrong shape', () => {
    for (const bad of [
      { kind: 'remix' },
      { sources: 'file:///ws/a.png' },
      { mask: 'yes' },
      { parent: 1 },
      { request: { size: '1024x1024' } },
      { request: { model: 'm', outputFormat: 'gif' } },
      { request: { model: 'm', background: 'pink' } },
    ]) {
      assert.equal(historyEntrySchema.safeParse({ ...old, ...bad }).success, false, JSON.stringify(bad));
    }
  });

  it('reads the cost fields, and entries written before them', () => {
    const priced = { ...old, gateway: 'api.example.com', estimate: 0.04224, actual: 0.042395 };
    assert.deepEqual(historyEntrySchema.parse(priced), priced);
    const before = historyEntrySchema.parse(old);
    assert.deepEqual([before.gateway, before.estimate, before.actual], [undefined, undefined, undefined]);
  });

  it('a cost field of the wrong shape is dropped, and the entry still reads', () => {
    for (const bad of [
      { actual: -1 },
      { actual: '0.04' },
      { actual: 1e30 },
      { estimate: -0.01 },
      { estimate: null },
      { estimate: { usd: 1 } },
      { gateway: 42 },
      { gateway: 'x'.repeat(254) },
    ]) {
      const parsed = historyEntrySchema.safeParse({ ...old, ...bad });
      assert.ok(parsed.success, JSON.stringify(bad));
      const [key] = Object.keys(bad) as ('actual' | 'estimate' | 'gateway')[];
      assert.equal(parsed.data[key!], undefined, JSON.stringify(bad));
      assert.equal(parsed.data.prompt, old.prompt);
    }
  });

  it('records the options sent, and never the prompt or the user id', () => {
    const recorded = recordRequest({
      model: 'gpt-image-1',
      prompt: 'p',
      size: '1536x1024',
      n: 1,
      background: 'transparent',
      user: 'me',
    } as never);
    assert.deepEqual(recorded, { model: 'gpt-image-1', size: '1536x1024', n: 1, background: 'transparent' });
  });
});
