/**
 * @module Edits on their way to the hub. The update prompt waits for zero so a new version never
 * reloads the page under an unsaved edit. (The sync issue replaces this with the Dexie outbox.)
 */
const listeners = new Set<(n: number) => void>();
let n = 0;

export const pendingEdits = {
  count: () => n,
  subscribe(l: (n: number) => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  async track<T>(p: Promise<T>): Promise<T> {
    n++;
    for (const l of listeners) l(n);
    try {
      return await p;
    } finally {
      n--;
      for (const l of listeners) l(n);
    }
  },
};
