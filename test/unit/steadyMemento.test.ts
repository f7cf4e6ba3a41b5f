import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STEADY_TRIES, steadyMemento, type MementoLike } from '../../src/core/steadyMemento';

/**
 * VS Code's globalState as the extension host keeps it (extHostMemento.ts): one object, written out whole by a
 * 0 ms timer after updates, and replaced whole by the window's echo of each write. The echo of a write reaches
 * the host before the write's confirmation. Here it lands at the worst moment: when an update comes while a
 * write is in transit, the echo arrives right after that update, before the update is written out. With
 * `alwaysLate`, every update meets a stale echo, so no write can ever stick.
 */
class EchoingMemento implements MementoLike {
  stored: Record<string, unknown> = {};
  private value: Record<string, unknown> = {};
  private waiting: Array<() => void> = [];
  private scheduled = false;
  private inTransit: { snapshot: string; applied: boolean } | undefined;
  private stale: string | undefined;
  private foreign: { key: string; value: unknown } | undefined;

  constructor(private readonly alwaysLate = false) {}

  keys(): readonly string[] {
    return Object.keys(this.value);
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    return key in this.value ? (this.value[key] as T) : defaultValue;
  }

  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) delete this.value[key];
    else this.value[key] = JSON.parse(JSON.stringify(value));
    const echo = this.inTransit && !this.inTransit.applied ? this.inTransit : undefined;
    if (echo) {
      this.value = JSON.parse(echo.snapshot);
      echo.applied = true;
    } else if (this.alwaysLate && this.stale) this.value = JSON.parse(this.stale);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => this.writeOut(), 0);
      }
    });
  }

  /** Another window stores `value` under `key` just after the next write is confirmed (its echo arrives then). */
  otherWindowWrites(key: string, value: unknown): void {
    this.foreign = { key, value };
  }

  private writeOut(): void {
    this.scheduled = false;
    const snapshot = JSON.stringify(this.value);
    this.stored = JSON.parse(snapshot);
    this.stale ??= snapshot;
    const echo = { snapshot, applied: false };
    this.inTransit = echo;
    const waiting = this.waiting.splice(0);
    setTimeout(() => {
      if (!echo.applied) this.value = JSON.parse(snapshot);
      echo.applied = true;
      if (this.inTransit === echo) this.inTransit = undefined;
      if (this.foreign) {
        this.value[this.foreign.key] = this.foreign.value;
        this.stored[this.foreign.key] = this.foreign.value;
        this.foreign = undefined;
      }
      for (const done of waiting) done();
    }, 1);
  }
}

/** One write, and a second one a moment later, while the first is in transit. */
async function twoWrites(m: MementoLike): Promise<void> {
  const first = m.update('form', { prompt: 'a lighthouse' });
  await new Promise((r) => setTimeout(r, 0)); // the first write is out, its echo not yet back
  const second = m.update('models', ['gpt-image-2-origin']);
  await Promise.all([first, second]);
}

test('the fake loses the second of two close writes, as VS Code does', async () => {
  const raw = new EchoingMemento();
  await twoWrites(raw);
  assert.deepEqual(raw.stored, { form: { prompt: 'a lighthouse' } });
  assert.equal(raw.get('models'), undefined);
});

test('a write undone by an older echo is made again, and both values are stored', async () => {
  const raw = new EchoingMemento();
  const m = steadyMemento(raw);
  await twoWrites(m);
  assert.deepEqual(raw.stored, { form: { prompt: 'a lighthouse' }, models: ['gpt-image-2-origin'] });
  assert.deepEqual(m.get('models'), ['gpt-image-2-origin']);
  assert.deepEqual(raw.get('models'), ['gpt-image-2-origin']);
});

test('while a write is in flight, reads return it, and the caller changing its object changes nothing', async () => {
  const raw = new EchoingMemento();
  const m = steadyMemento(raw);
  const form = { prompt: 'a lighthouse' };
  const writing = m.update('form', form);
  form.prompt = 'changed after the write';
  assert.deepEqual(m.get('form'), { prompt: 'a lighthouse' });
  assert.equal(m.get('absent', 'fallback'), 'fallback');
  await writing;
  assert.deepEqual(raw.stored, { form: { prompt: 'a lighthouse' } });
});

test('the newest of several writes to one key wins, and undefined removes the key', async () => {
  const raw = new EchoingMemento();
  const m = steadyMemento(raw);
  await Promise.all([m.update('size', '1024x1024'), m.update('size', '1536x1024')]);
  assert.equal(m.get('size'), '1536x1024');
  assert.deepEqual(raw.stored, { size: '1536x1024' });
  await m.update('size', undefined);
  assert.equal(m.get('size', 'default'), 'default');
  assert.deepEqual(raw.stored, {});
  assert.deepEqual(m.keys(), []);
});

test(`a write that never sticks is given up after ${STEADY_TRIES} tries and reported, not retried forever`, async () => {
  const raw = new EchoingMemento(true);
  const lost: string[] = [];
  const m = steadyMemento(raw, (key) => lost.push(key));
  await m.update('first', 1); // the stale echo every later update meets
  await m.update('models', ['gpt-image-2-origin']);
  assert.deepEqual(lost, ['models']);
  assert.equal(m.get('models'), undefined, 'after giving up, reads show what VS Code holds');
});

test("another window's newer value stands: it is not taken for an echo and overwritten", async () => {
  const raw = new EchoingMemento();
  const m = steadyMemento(raw);
  await m.update('form', { prompt: 'first' });
  raw.otherWindowWrites('form', { prompt: 'from another window' });
  await m.update('form', { prompt: 'second' });
  assert.deepEqual(raw.stored, { form: { prompt: 'from another window' } });
  assert.deepEqual(m.get('form'), { prompt: 'from another window' });
});

test('keys() agrees with get() while writes are in flight', async () => {
  const raw = new EchoingMemento();
  const m = steadyMemento(raw);
  await m.update('old', 1);
  const writing = [m.update('new', 2), m.update('old', undefined)];
  assert.deepEqual(m.keys(), ['new']);
  await Promise.all(writing);
  assert.deepEqual(m.keys(), ['new']);
});
