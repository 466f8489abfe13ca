/**
 * A memo save that survives the page going away (web host only).
 *
 * A plain `fetch` started in `pagehide`/`beforeunload` may be cancelled when the document
 * is torn down; one with `keepalive: true` is sent to the end
 * (https://fetch.spec.whatwg.org/#request-keepalive-flag), as `navigator.sendBeacon` is,
 * but still carries the JSON content type and the token cookie the web host requires and
 * still returns the answer when the page lives on (a tab hidden, not closed). Browsers cap
 * keepalive bodies at 64 KiB in flight, so a larger memo is sent with a plain fetch, which
 * Chromium usually delivers before teardown. Electron does not need this: its IPC message
 * leaves at once, and the main process also asks the window to save before it closes.
 */
import type { ArgsOf, CallResult, ResultOf } from '../../../shared/contract';

/** Largest body sent with keepalive (the spec's 64 KiB quota, less room for other keepalive requests). */
export const KEEPALIVE_MAX_BYTES = 60 * 1024;

/**
 * POST `memos.save` to the web host's `/api/memos.save` so that it is delivered even when the
 * page closes right after. Resolves to the call's result, or `unavailable` when the host
 * cannot be reached (or the page went away before the answer came).
 */
export async function saveMemoSurvivingUnload(args: ArgsOf<'memos.save'>): Promise<CallResult<ResultOf<'memos.save'>>> {
  const body = JSON.stringify(args);
  const keepalive = new TextEncoder().encode(body).byteLength <= KEEPALIVE_MAX_BYTES;
  try {
    const response = await fetch('/api/memos.save', { method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin', body, keepalive });
    if (!response.ok) return { ok: false, error: { code: 'internal', message: `The web host answered ${response.status}: ${await response.text()}` } };
    return (await response.json()) as CallResult<ResultOf<'memos.save'>>;
  } catch (error) {
    return { ok: false, error: { code: 'unavailable', message: `The Verbatim web host does not answer (${(error as Error).message}).` } };
  }
}
