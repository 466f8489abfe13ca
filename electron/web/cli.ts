/**
 * Verbatim's command line: the web host and scripted use of the same services.
 *
 *   npm run web                                   build, then serve (prints the URL)
 *   npm run cli -- serve [--port N]               serve the already built renderer
 *   npm run cli -- import <file>...               import files as sources
 *   npm run cli -- sources | memos                list them
 *   npm run cli -- quotes [--query <text>]        list or search quotes
 *   npm run cli -- export-pdf <memo id> <out.pdf> print a memo to PDF
 *   npm run cli -- call <method> ['<json args>']  any contract method; prints its result as JSON
 *   npm run cli -- backup                         back up the library now (verified copy in <data>/backups/)
 *   npm run cli -- backups                        list the backups, newest first
 *   npm run cli -- restore <name> | --latest      restore a backup (the current file is kept aside first)
 *   npm run cli -- new-library                    move a library that cannot be opened aside and start a new one
 *
 * Every command takes `--data-dir <folder>` (or VERBATIM_DATA_DIR) and `--keep-backups N`
 * (or VERBATIM_KEEP_BACKUPS). `serve --restore-latest` / `serve --new-library` recover a
 * library that cannot be opened before serving. Exit codes: 0 done, 1 a call failed (the
 * message says why), 2 usage error, 3 the library cannot be opened (the message lists the
 * ways out), 4 another program has the library open.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { METHOD_NAMES } from '../../shared/methods';
import { DEFAULT_KEEP_BACKUPS, latestBackup, recoverLibraryFile } from '../services/backup';
import { LibraryOpenError } from '../services/libraryFile';
import { acquireLibraryLock, LibraryLockedError } from '../services/lock';
import { defaultDataDir, flagValue, resolveDataDir, resolveKeepBackups } from '../services/paths';
import { LIBRARY_FILE_NAME, openServices, type Services } from '../services/services';
import { ChromiumPdfPrinter } from './pdf';
import { startWebHost } from './server';

const ROOT = path.resolve(__dirname, '..', '..');
const RESOURCES_DIR = path.join(ROOT, 'electron', 'resources');
const STATIC_DIR = path.join(ROOT, 'out', 'renderer');

function version(): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Flags that take no value. */
const SWITCHES = new Set(['--latest', '--restore-latest', '--new-library']);

/** Positional arguments: everything that is not a `--flag value` pair or a switch. */
function positionals(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      if (!arg.includes('=') && !SWITCHES.has(arg)) i += 1;
      continue;
    }
    out.push(arg);
  }
  return out;
}

async function call(services: Services, method: string, args: unknown): Promise<unknown> {
  const result = await services.dispatch(method, args);
  if (!result.ok) {
    throw Object.assign(new Error(`${result.error.code}: ${result.error.message}`), { exitCode: 1 });
  }
  return result.value;
}

function usage(): never {
  process.stderr.write(
    'usage: verbatim <serve|import|sources|quotes|memos|export-pdf|call|backup|backups|restore|new-library> [args] [--data-dir DIR] [--keep-backups N]\n' +
      `methods for "call": ${METHOD_NAMES.join(', ')}\n`,
  );
  process.exit(2);
}

/** What to tell the user when the library cannot be opened: why, and the commands that get them going again. */
function damageHelp(error: LibraryOpenError, dataDir: string): string {
  const latest = latestBackup(dataDir);
  const dir = `--data-dir ${JSON.stringify(dataDir)}`;
  return (
    `${error.message}\n\nWhat you can do (the file is kept either way, moved aside as library.damaged-<time>.sqlite):\n` +
    (latest ? `  npm run cli -- restore --latest ${dir}    restore the newest backup (${latest.name})\n` : '  (there is no backup to restore)\n') +
    `  npm run cli -- new-library ${dir}        start a new, empty library\n` +
    `or add --restore-latest / --new-library to "serve".\n`
  );
}

/** Move a library that cannot be opened aside and restore the newest backup or start anew, under the library lock; prints what it did. */
async function recover(dataDir: string, action: 'restore-latest' | 'new-library'): Promise<void> {
  const lock = acquireLibraryLock(dataDir, 'cli');
  try {
    const done = await recoverLibraryFile(dataDir, path.join(dataDir, LIBRARY_FILE_NAME), action);
    for (const line of done.skipped) process.stderr.write(`skipped a damaged backup: ${line}\n`);
    if (done.movedTo) process.stdout.write(`The library that could not be opened was kept as ${done.movedTo}\n`);
    process.stdout.write(done.restored ? `Restored the backup ${done.restored}.\n` : 'A new library will be created.\n');
  } finally {
    lock.release();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = positionals(argv);
  if (!command) usage();
  const dataDir = resolveDataDir(argv, process.env, defaultDataDir());
  const keepBackups = resolveKeepBackups(argv, process.env, DEFAULT_KEEP_BACKUPS);
  const printer = new ChromiumPdfPrinter();
  const open = () =>
    openServices({ host: 'web', lockHost: command === 'serve' ? 'web' : 'cli', dataDir, resourcesDir: RESOURCES_DIR, version: version(), printPdf: (html, printOptions) => printer.print(html, printOptions), warmCitations: command === 'serve', keepBackups, startupBackupDelayMs: command === 'serve' ? 3000 : false });
  let services: Services;
  try {
    services = await open();
  } catch (error) {
    if (!(error instanceof LibraryOpenError)) throw error;
    const wantsLatest = (command === 'restore' && argv.includes('--latest')) || (command === 'serve' && argv.includes('--restore-latest'));
    const wantsNew = command === 'new-library' || (command === 'serve' && argv.includes('--new-library'));
    if (!wantsLatest && !wantsNew) throw Object.assign(new Error(damageHelp(error, dataDir)), { exitCode: 3 });
    await recover(dataDir, wantsLatest ? 'restore-latest' : 'new-library');
    if (command !== 'serve') {
      await printer.close();
      return;
    }
    services = await open();
  }
  const shutdown = async () => {
    await services.close();
    await printer.close();
  };
  try {
    switch (command) {
      case 'serve': {
        const port = Number(flagValue(argv, 'port') ?? process.env.VERBATIM_PORT ?? 0);
        const host = await startWebHost({ services, staticDir: STATIC_DIR, port, token: process.env.VERBATIM_TOKEN });
        process.stdout.write(`Verbatim web host is running.\n  Library: ${services.dataFile}\n  Open: ${host.url}\n`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await host.close();
        return;
      }
      case 'import': {
        if (rest.length === 0) usage();
        let failed = 0;
        for (const file of rest) {
          let bytes: Buffer;
          try {
            bytes = readFileSync(file);
          } catch (error) {
            failed += 1;
            process.stderr.write(`not imported ${file}: ${(error as Error).message}\n`);
            continue;
          }
          const result = await services.dispatch('sources.import', { fileName: path.basename(file), dataBase64: bytes.toString('base64') });
          if (result.ok) process.stdout.write(`imported ${file}: ${(result.value as { title: string }).title}\n`);
          else {
            failed += 1;
            process.stderr.write(`not imported ${file}: ${result.error.message}\n`);
          }
        }
        if (failed > 0) process.exitCode = 1;
        return;
      }
      case 'sources':
      case 'memos':
      case 'quotes': {
        const method = command === 'quotes' ? 'quotes.list' : `${command}.list`;
        const args = command === 'quotes' && flagValue(argv, 'query') ? { query: flagValue(argv, 'query') } : {};
        process.stdout.write(`${JSON.stringify(await call(services, method, args), null, 2)}\n`);
        return;
      }
      case 'export-pdf': {
        const [memoId, out] = rest;
        if (!memoId || !out) usage();
        const value = (await call(services, 'memos.exportPdf', { id: memoId })) as { pdfBase64: string; byteLength: number };
        writeFileSync(out, Buffer.from(value.pdfBase64, 'base64'));
        process.stdout.write(`wrote ${out} (${value.byteLength} bytes)\n`);
        return;
      }
      case 'backup': {
        const made = (await call(services, 'library.backup', {})) as { name: string; bytes: number };
        process.stdout.write(`backed up to ${path.join(dataDir, 'backups', made.name)} (${made.bytes} bytes)\n`);
        return;
      }
      case 'backups': {
        process.stdout.write(`${JSON.stringify(await call(services, 'library.backups', {}), null, 2)}\n`);
        return;
      }
      case 'restore': {
        const name = argv.includes('--latest') ? latestBackup(dataDir)?.name : rest[0];
        if (!name) {
          if (argv.includes('--latest')) throw Object.assign(new Error(`There is no backup in ${path.join(dataDir, 'backups')}.`), { exitCode: 1 });
          usage();
        }
        const done = (await call(services, 'library.restore', { name })) as { restored: string; keptAs: string };
        process.stdout.write(`Restored ${done.restored}. The library as it was is kept as ${path.join(dataDir, 'backups', done.keptAs)}\n`);
        return;
      }
      case 'new-library': {
        throw Object.assign(new Error(`The library in ${dataDir} opens fine, so it was left as it is. For a separate new library, use another --data-dir.`), { exitCode: 1 });
      }
      case 'call': {
        const [method, json] = rest;
        if (!method) usage();
        let args: unknown = {};
        try {
          args = json ? JSON.parse(json) : {};
        } catch (error) {
          process.stderr.write(`The arguments are not valid JSON: ${(error as Error).message}\n`);
          process.exitCode = 2;
          return;
        }
        const result = await services.dispatch(method, args);
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        if (!result.ok) process.exitCode = 1;
        return;
      }
      default:
        usage();
    }
  } finally {
    await shutdown();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`verbatim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit((error as { exitCode?: number }).exitCode ?? (error instanceof LibraryLockedError ? 4 : 1));
});
