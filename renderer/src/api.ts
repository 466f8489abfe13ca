/**
 * The renderer's one `api` object. In Electron it calls the preload's
 * `window.verbatimHost` (IPC); in a browser it POSTs to the web host's `/api/<method>`
 * (the token cookie goes along). Either way the caller gets the typed contract and
 * does not know which host it runs in.
 */
import { makeClient, type CallResult, type Transport } from '../../shared/contract';
import type { MethodName } from '../../shared/methods';

declare global {
  interface Window {
    /** Set by Electron's preload: one function per contract method. */
    verbatimHost?: Readonly<Record<MethodName, (args: unknown) => Promise<CallResult<unknown>>>>;
  }
}

const ipcTransport: Transport = (method, args) => window.verbatimHost![method](args);

const httpTransport: Transport = async (method, args) => {
  let response: Response;
  try {
    response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(args),
    });
  } catch (error) {
    return { ok: false, error: { code: 'unavailable', message: `The Verbatim web host does not answer (${(error as Error).message}). Is the web host (npm run web or npm run cli -- serve) still running? Start it again and open the URL it prints.` } };
  }
  if (!response.ok) {
    const text = await response.text();
    if (response.status === 413) return { ok: false, error: { code: 'file_too_large', message: 'That is more than the web host accepts in one request (about 13 MB).' } };
    return { ok: false, error: { code: 'internal', message: `The web host answered ${response.status}: ${text}` } };
  }
  return (await response.json()) as CallResult<unknown>;
};

/** The typed contract client for whichever host this renderer runs in. */
export const api = makeClient(window.verbatimHost ? ipcTransport : httpTransport);

/** Which host the renderer runs in (for the save dialog vs. browser download). */
export const hostKind: 'electron' | 'web' = window.verbatimHost ? 'electron' : 'web';
