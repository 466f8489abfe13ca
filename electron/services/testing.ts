/**
 * Helpers for the services' unit tests: a fresh library in a temporary folder, with a
 * printer that records the HTML it is given instead of starting Chromium.
 */
import { ApiError } from '../../shared/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MethodName } from '../../shared/methods';
import type { ArgsOf, ResultOf } from '../../shared/contract';
import { openServices, type ServiceOptions, type Services } from './services';

export const RESOURCES_DIR = path.resolve(__dirname, '..', 'resources');

/** A library in a temporary folder; `printed` collects the HTML handed to the printer. */
export interface TestLibrary {
  services: Services;
  dataDir: string;
  printed: string[];
  /** Call a method and return its value, or throw with the error's code and message. */
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  dispose(): Promise<void>;
}

export async function openTestLibrary(dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-test-')), options: Pick<ServiceOptions, 'memoRevisions'> = {}): Promise<TestLibrary> {
  const printed: string[] = [];
  const services = await openServices({
    host: 'web',
    dataDir,
    resourcesDir: RESOURCES_DIR,
    version: '0.0.0-test',
    printPdf: async (html) => {
      printed.push(html);
      return new TextEncoder().encode('%PDF-1.7 test');
    },
    logError: () => undefined,
    ...options,
  });
  return {
    services,
    dataDir,
    printed,
    async call(method, args) {
      const result = await services.dispatch(method, args);
      if (!result.ok) throw Object.assign(new Error(`${result.error.code}: ${result.error.message}`), { code: result.error.code });
      return result.value as never;
    },
    async dispose() {
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The ApiError that `fn` throws or rejects with (for asserting its code and message).
 * @throws the error itself when it is not an ApiError, or an Error when `fn` succeeds.
 */
export async function errorOf(fn: () => unknown): Promise<ApiError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}
