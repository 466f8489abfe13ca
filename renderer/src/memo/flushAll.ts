/**
 * Every open memo's "save now", in one place, so the Electron main process can ask the
 * window to save before it closes (electron/main/index.ts runs
 * `window.verbatimFlushMemos()` through executeJavaScript on the window's `close` event and
 * waits for the promise, up to a timeout, before letting the window go).
 */

/** Saves one memo's pending edits; resolves when the save is answered (or failed and said so). */
export type MemoFlusher = () => Promise<void>;

const flushers = new Set<MemoFlusher>();

declare global {
  interface Window {
    /** Save every open memo now; resolves when all saves are answered. Called by Electron's main process before a window closes. */
    verbatimFlushMemos?: () => Promise<void>;
  }
}

/** Register a memo's flusher; returns the function that removes it. */
export function registerMemoFlusher(flush: MemoFlusher): () => void {
  flushers.add(flush);
  return () => flushers.delete(flush);
}

/** Save every open memo now. A failing save is reported by its memo (status line, notice); this still resolves. */
export async function flushAllMemos(): Promise<void> {
  await Promise.allSettled([...flushers].map((flush) => flush()));
}

if (typeof window !== 'undefined') window.verbatimFlushMemos = flushAllMemos;
