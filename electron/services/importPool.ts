/**
 * Reading untrusted files off the host's main thread, with hard limits (issue 5 hardening).
 *
 * The format readers (PDF, DOCX, EPUB, HTML, MHTML, Markdown: everything but plain text)
 * run in one `worker_threads` Worker (importWorker.ts), reused between imports. Each read
 * has three limits, and the worker is `terminate()`d and replaced when one is hit, so a
 * hostile file costs one refused import and never the host:
 *
 * - wall clock: {@link IMPORT_TIMEOUT_MS} (pdf.js cannot be interrupted from inside; a 5 KB
 *   PDF of form XObjects drawing each other 30 deep never finishes) → ApiError `import_timeout`;
 * - V8 heap: `resourceLimits.maxOldGenerationSizeMb` = {@link IMPORT_HEAP_MB} → the worker
 *   dies with ERR_WORKER_OUT_OF_MEMORY → ApiError `import_too_much_memory`;
 * - memory outside the heap (ArrayBuffers, which resourceLimits does not cap): the process's
 *   RSS is sampled every {@link MEMORY_SAMPLE_MS} ms while a read runs, and a read that grows
 *   it by more than {@link IMPORT_MEMORY_MB} is stopped → `import_too_much_memory`. (PDF
 *   Flate streams are also measured before pdf.js sees them: formats/pdfStreams.ts.)
 *
 * Reads are queued: one runs at a time, each caller gets its own result. A worker that
 * crashed or was terminated is replaced by a new one for the next read.
 *
 * Where the worker's code is: the Electron main bundle has it as `importWorker.js` beside
 * the bundle (an extra input in electron.vite.config.ts; electron-vite's `?modulePath`
 * import would do the same but cannot be loaded by tsx or vitest, which run these services
 * from source); from source (tsx: web host and CLI; vitest) it is `importWorker.ts`, loaded
 * through tsx's CommonJS register hook, because a worker does not inherit tsx's loader.
 *
 * Runs under plain Node; never imports 'electron'.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApiError, ERROR_CODES, type ErrorCode } from '../../shared/contract';
import type { ImportedDocument } from './formats/common';

/** A read may take this long (milliseconds, 120 s) before the worker is terminated; about what a 2,000-page PDF needs on a slow laptop. */
export const IMPORT_TIMEOUT_MS = 120_000;

/** The worker's V8 old-generation heap cap, in MB (`resourceLimits.maxOldGenerationSizeMb`); a 50 MB EPUB needs well under this. */
export const IMPORT_HEAP_MB = 1536;

/** The most a read may grow the process's resident memory by, in MB (catches ArrayBuffers, which the heap cap does not count). */
export const IMPORT_MEMORY_MB = 2048;

/** How long (milliseconds) a new worker may take to load its readers (jsdom, mammoth, pdf.js) before it is given up. Not part of a read's time. */
export const WORKER_STARTUP_MS = 60_000;

/** How often (milliseconds) the process's RSS is sampled while a read runs. */
export const MEMORY_SAMPLE_MS = 50;

/** One read, as sent to the worker. `bytes` is a copy, transferred. */
export interface ReadRequest {
  fileName: string;
  bytes: Uint8Array;
  charset?: string | null;
}

/** Limits of an {@link ImportPool}; tests lower them (no timing is asserted, only which limit stopped a read). */
export interface ImportPoolOptions {
  /** Wall-clock limit per read, ms; default {@link IMPORT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Worker heap cap, MB; default {@link IMPORT_HEAP_MB}. */
  heapMb?: number;
  /** RSS growth limit per read, MB; default {@link IMPORT_MEMORY_MB}. */
  memoryMb?: number;
  /** Budget for a PDF's decoded Flate streams, bytes; default MAX_PDF_DECODED_BYTES (formats/pdfStreams.ts). */
  pdfDecodedBytes?: number;
}

/** What the worker says: that its readers are loaded (once), or a read's document or error (an ApiError's code and message, or a crash's text). */
export type WorkerReply = { ready: true } | { id: number; ok: true; doc: ImportedDocument } | { id: number; ok: false; code: ErrorCode | null; message: string };

/** What the host sends: a read with its id and the PDF budget. */
export interface WorkerRequest extends ReadRequest {
  id: number;
  pdfDecodedBytes?: number;
}

interface Job {
  id: number;
  request: ReadRequest;
  resolve: (doc: ImportedDocument) => void;
  reject: (error: Error) => void;
}

/** What kind of file a name is, for messages ("This PDF …", "This file …"). */
function what(fileName: string): string {
  const ext = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'pdf') return 'This PDF';
  if (ext === 'docx') return 'This Word document';
  if (ext === 'epub') return 'This EPUB book';
  return 'This file';
}

/** The ApiError for a read that needed more memory than allowed (`limitMb` MB). */
export function memoryError(fileName: string, limitMb: number): ApiError {
  return new ApiError(
    'import_too_much_memory',
    `${what(fileName)} (“${fileName}”) needs more memory than Verbatim allows for one file (${Math.round(limitMb).toLocaleString('en-US')} MB); it was not imported. It may be damaged or built to exhaust memory; if it opens in a viewer, save or print it as a new file and import that.`,
  );
}

/** The ApiError for a read stopped after `timeoutMs` ms. */
export function timeoutError(fileName: string, timeoutMs: number): ApiError {
  const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
  return new ApiError('import_timeout', `Reading this file (“${fileName}”) took longer than ${seconds}; it was stopped and nothing was imported. It may be damaged or unusually complex; if it opens in a viewer, save or print it as a new file and import that.`);
}

/** The worker script and how to start it: the built `importWorker.js` when present, else the source through tsx. */
function workerSource(): { file: string; eval: boolean; entry: string } {
  const built = path.join(__dirname, 'importWorker.js');
  if (existsSync(built)) return { file: built, eval: false, entry: built };
  const source = path.join(__dirname, 'importWorker.ts');
  const tsx = createRequire(__filename).resolve('tsx/cjs/api');
  // A worker does not inherit tsx's loader: register tsx's require hook, then load the entry.
  const boot = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`;
  return { file: boot, eval: true, entry: source };
}

/**
 * A queue of reads served by one worker thread at a time (see the module comment).
 * `read` resolves with the document or rejects with an ApiError; `close` ends the worker.
 */
export class ImportPool {
  private worker: Worker | null = null;
  /** The current worker has loaded its readers (its first message). */
  private ready = false;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly heapMb: number;
  private readonly memoryMb: number;
  private readonly pdfDecodedBytes: number | undefined;
  /** Workers started so far (a replaced worker counts again): for tests and diagnostics. */
  workersStarted = 0;

  constructor(options: ImportPoolOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? IMPORT_TIMEOUT_MS;
    this.heapMb = options.heapMb ?? IMPORT_HEAP_MB;
    this.memoryMb = options.memoryMb ?? IMPORT_MEMORY_MB;
    this.pdfDecodedBytes = options.pdfDecodedBytes;
  }

  /**
   * Read a file in the worker (importer.ts's `readFileInProcess` there).
   * @throws ApiError the reader's own refusal, or `import_timeout` / `import_too_much_memory`
   *   when a limit stopped it, or `internal` when the worker died for another reason.
   */
  read(request: ReadRequest): Promise<ImportedDocument> {
    return new Promise<ImportedDocument>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, resolve, reject });
      this.pump();
    });
  }

  /** Terminate the worker (queued reads are refused with `internal`). */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new ApiError('internal', 'The import was cancelled because Verbatim is closing.'));
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private spawn(): Worker {
    const source = workerSource();
    const worker = new Worker(source.file, {
      eval: source.eval,
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
      // The worker's stdout/stderr go to the host's (pdf.js warnings); nothing else is shared.
      stdout: false,
      stderr: false,
    });
    worker.unref(); // an idle worker never keeps the host alive
    this.workersStarted += 1;
    this.ready = false;
    const onReady = (reply: WorkerReply) => {
      if (!('ready' in reply)) return;
      worker.off('message', onReady);
      if (this.worker === worker) this.ready = true;
    };
    worker.on('message', onReady);
    return worker;
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.current = job;
    const worker = (this.worker ??= this.spawn());
    worker.ref(); // a read in flight keeps the process alive until it settles
    let settled = false;
    let baseline = process.memoryUsage.rss();
    let timer: NodeJS.Timeout | undefined;
    let sampler: NodeJS.Timeout | undefined;
    const finish = (outcome: { doc: ImportedDocument } | { error: Error }, kill: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(sampler);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (kill) {
        if (this.worker === worker) this.worker = null;
        // terminate() resolves once the thread has stopped; the next read starts a new one.
        void worker.terminate().catch(() => undefined);
      } else {
        worker.unref();
      }
      this.current = null;
      if ('doc' in outcome) job.resolve(outcome.doc);
      else job.reject(outcome.error);
      this.pump();
    };
    const fileName = job.request.fileName;
    // The read's limits start when the worker is ready: loading the readers is not the file's time.
    const start = () => {
      clearTimeout(timer);
      baseline = process.memoryUsage.rss();
      timer = setTimeout(() => finish({ error: timeoutError(fileName, this.timeoutMs) }, true), this.timeoutMs);
      sampler = setInterval(() => {
        if (process.memoryUsage.rss() - baseline > this.memoryMb * 1024 * 1024) finish({ error: memoryError(fileName, this.memoryMb) }, true);
      }, MEMORY_SAMPLE_MS);
      const bytes = new Uint8Array(job.request.bytes); // a copy, so the caller's bytes stay intact once transferred
      const message: WorkerRequest = { id: job.id, fileName, bytes, charset: job.request.charset ?? null, pdfDecodedBytes: this.pdfDecodedBytes };
      worker.postMessage(message, [bytes.buffer]);
    };
    const onMessage = (reply: WorkerReply) => {
      if ('ready' in reply) {
        if (!settled && !sampler) start();
        return;
      }
      if (reply.id !== job.id) return;
      if (reply.ok) finish({ doc: reply.doc }, false);
      else if (reply.code && (ERROR_CODES as readonly string[]).includes(reply.code)) finish({ error: new ApiError(reply.code, reply.message) }, false);
      else finish({ error: new ApiError('internal', `Reading “${fileName}” failed inside Verbatim (${reply.message.slice(0, 200)}); nothing was imported.`) }, true);
    };
    const onError = (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') finish({ error: memoryError(fileName, this.heapMb) }, true);
      else finish({ error: new ApiError('internal', `Reading “${fileName}” stopped the import worker (${error.message.slice(0, 200)}); nothing was imported.`) }, true);
    };
    const onExit = (code: number) => finish({ error: new ApiError('internal', `The import worker stopped (exit code ${code}) while reading “${fileName}”; nothing was imported.`) }, true);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    if (this.ready) start();
    else timer = setTimeout(() => finish({ error: new ApiError('internal', `The import worker did not start within ${Math.round(WORKER_STARTUP_MS / 1000)} s; “${fileName}” was not imported. Try again.`) }, true), WORKER_STARTUP_MS);
  }
}

let shared: ImportPool | null = null;

/** The process's import pool, made on first use with the default limits. */
export function sharedImportPool(): ImportPool {
  shared ??= new ImportPool();
  return shared;
}
