// A Memento whose writes are not lost to VS Code's echo of an earlier write.
//
// VS Code keeps an extension's globalState as one object in the extension host and writes it out after each
// update (a 0 ms timer). The window echoes every stored value back, and the host replaces its whole object with
// the echo. An echo of an earlier write that lands between a later update and that update's write-out puts the
// older object back, and the later update is written out without its value: two writes a few milliseconds apart
// (the studio saving its form while Choose Model stores the model list) lost the second one that way.
//
// Here each update is checked once VS Code has confirmed it, and made again while an older echo has undone it
// (the key holds what it held before the write). A value neither ours nor the old one is another window's newer
// write (globalState is shared by all windows): it stands. Reads of a key with a write still in flight return
// that write, so the extension never sees the older value.

/** The part of vscode.Memento used here (the core does not import vscode). */
export interface MementoLike {
  keys(): readonly string[];
  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** How often a write undone by an echo is made again before it is given up (and `onLost` is told). */
export const STEADY_TRIES = 3;

const text = (value: unknown) => JSON.stringify(value) ?? 'undefined';

interface Write {
  value: unknown;
  /** What the key held before this write and the writes of it still in flight before it, as JSON. */
  older: readonly string[];
}

export function steadyMemento(inner: MementoLike, onLost: (key: string) => void = () => undefined): MementoLike {
  // The newest write per key while it is in flight; the object identity tells a write from a newer one.
  const pending = new Map<string, Write>();

  function get<T>(key: string): T | undefined;
  function get<T>(key: string, defaultValue: T): T;
  function get<T>(key: string, defaultValue?: T): T | undefined {
    const write = pending.get(key);
    if (write) return write.value === undefined ? defaultValue : (write.value as T);
    return defaultValue === undefined ? inner.get<T>(key) : inner.get<T>(key, defaultValue);
  }

  async function update(key: string, value: unknown): Promise<void> {
    // VS Code stores a JSON copy; so does this, so a caller changing its object afterwards changes nothing here.
    const previous = pending.get(key);
    const write: Write = {
      value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)),
      older: [...(previous ? [...previous.older, text(previous.value)] : []), text(inner.get(key))],
    };
    pending.set(key, write);
    try {
      for (let attempt = 1; ; attempt++) {
        await inner.update(key, write.value);
        // A newer write of this key checks itself.
        if (pending.get(key) !== write) return;
        const now = text(inner.get(key));
        // Ours, or another window's: done. An older value of this window's: undone by an echo.
        if (now === text(write.value) || !write.older.includes(now)) return;
        if (attempt >= STEADY_TRIES) return onLost(key);
      }
    } finally {
      if (pending.get(key) === write) pending.delete(key);
    }
  }

  // As get() sees them: keys with a write in flight count by that write.
  const keys = () => {
    const all = new Set(inner.keys());
    for (const [key, write] of pending) {
      if (write.value === undefined) all.delete(key);
      else all.add(key);
    }
    return [...all];
  };

  return { keys, get, update };
}
