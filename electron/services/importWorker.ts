/**
 * The import worker's entry (a `worker_threads` Worker started by importPool.ts): reads each
 * file it is sent with the importer's format readers and answers with the document or the
 * error. One read at a time; the host enforces the time and memory limits and terminates
 * this thread when one is hit.
 *
 * Message in: {@link WorkerRequest}; messages out: `{ ready: true }` once pdf.js is loaded (the
 * host starts a read's clock then), then one {@link WorkerReply} per read (an ApiError travels
 * as its code and message; any other failure as its message, with code null).
 *
 * Runs under plain Node; never imports 'electron'.
 */
import { parentPort } from 'node:worker_threads';
import { ApiError } from '../../shared/contract';
import { readFileInProcess } from './importer';
import { loadPdfjs } from './formats/pdf';
import type { WorkerReply, WorkerRequest } from './importPool';

if (!parentPort) throw new Error('importWorker.ts runs as a worker thread (started by importPool.ts), not on its own.');
const port = parentPort;

port.on('message', (request: WorkerRequest) => {
  void (async () => {
    let reply: WorkerReply;
    try {
      const doc = await readFileInProcess(request.fileName, request.bytes, { charset: request.charset, pdfDecodedBytes: request.pdfDecodedBytes });
      reply = { id: request.id, ok: true, doc };
    } catch (error) {
      reply = error instanceof ApiError ? { id: request.id, ok: false, code: error.code, message: error.message } : { id: request.id, ok: false, code: null, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  })();
});

// pdf.js is loaded up front, so the host's per-read time limit does not count loading it.
loadPdfjs().then(
  () => port.postMessage({ ready: true } satisfies WorkerReply),
  (error: unknown) => {
    throw error instanceof Error ? error : new Error(String(error)); // the host sees the worker's 'error'
  },
);
