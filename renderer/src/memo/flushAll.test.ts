import { describe, expect, it } from 'vitest';
import { flushAllMemos, registerMemoFlusher } from './flushAll';

describe('flushAllMemos (what Electron awaits before a window closes)', () => {
  it('resolves only after every registered save is answered, even when one fails, and forgets removed ones', async () => {
    const done: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const offA = registerMemoFlusher(async () => {
      await slow;
      done.push('a');
    });
    const offB = registerMemoFlusher(async () => {
      done.push('b');
      throw new Error('disk full');
    });
    const offC = registerMemoFlusher(async () => {
      done.push('c');
    });
    offC();
    let finished = false;
    const all = flushAllMemos().then(() => (finished = true));
    await Promise.resolve();
    expect(finished).toBe(false); // still waiting for a
    release();
    await all;
    expect(done.sort()).toEqual(['a', 'b']);
    offA();
    offB();
    done.length = 0;
    await flushAllMemos();
    expect(done).toEqual([]);
  });
});
