// A Memento whose writes are not lost to VS Code's echo of an earlier write.
//
// VS Code keeps an extension's globalState as one object in the extension host and writes it out after each
// update (a 0 ms timer). The window echoes every stored value back, and the host replaces its whole object with
// the echo. An echo of an earlier write that lands between a later update and that update's write-out puts the
// older object back, and the later update is written out without its value: two writes a few milliseconds apart
// (the studio saving its form while Choose Model stores the model list) lost the second one that way.
//
// Here each update is checked once VS Code has confirmed it, and made again while an older echo has undone it.
// Reads of a key with a write still in flight return that write, so the extension never sees the older value.

/** The part of vscode.Memento used here (the core does not import vscode). */
export interface MementoLike {
  keys(): readonly string[];
  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** How often a write undone by an echo is made again before it is given up (and `onLost` is told). */
export const STEADY_TRIES = 3;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function steadyMemento(inner: MementoLike, onLost: (key: string) => void = () => undefined): MementoLike {
  // The newest write per key while it is in flight; the object identity tells a write from a newer one.
  const pending = new Map<string, { value: unknown }>();

  function get<T>(key: string): T | undefined;
  function get<T>(key: string, defaultValue: T): T;
  function get<T>(key: string, defaultValue?: T): T | undefined {
    const write = pending.get(key);
    if (write) return write.value === undefined ? defaultValue : (write.value as T);
    return defaultValue === undefined ? inner.get<T>(key) : inner.get<T>(key, defaultValue);
  }

  async function update(key: string, value: unknown): Promise<void> {
    // VS Code stores a JSON copy; so does this, so a caller changing its object afterwards changes nothing here.
    const write = { value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)) };
    pending.set(key, write);
    try {
      for (let attempt = 1; ; attempt++) {
        await inner.update(key, write.value);
        // A newer write of this key checks itself.
        if (pending.get(key) !== write) return;
        if (same(inner.get(key), write.value)) return;
        if (attempt >= STEADY_TRIES) return onLost(key);
      }
    } finally {
      if (pending.get(key) === write) pending.delete(key);
    }
  }

  return { keys: () => inner.keys(), get, update };
}
