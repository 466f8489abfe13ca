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
 *   npm run cli -- restore <name|path> | --latest restore a backup: its name, or its path inside <data>/backups/
 *                                                 (the current file is kept aside first)
 *   npm run cli -- new-library                    move a library that cannot be opened aside and start a new one
 *
 * Every command takes `--data-dir <folder>` (or VERBATIM_DATA_DIR) and `--keep-backups N`
 * (or VERBATIM_KEEP_BACKUPS). `serve --restore-latest` / `serve --new-library` recover a
 * library that cannot be opened before serving. `serve` serves the renderer built into
 * out/renderer (or VERBATIM_RENDERER_DIR) and refuses to start without it.
 *
 * The command line is checked in full before the library is opened, so a mistyped or
 * incomplete command changes nothing in the data folder; `new-library` and
 * `restore --latest` check that there is something to replace or restore before they
 * touch anything. Exit codes: 0 done, 1 a command or call failed (the message says why),
 * 2 usage error (nothing was opened), 3 the library cannot be opened (the message lists
 * the ways out), 4 another program has the library open.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { METHOD_NAMES } from '../../shared/methods';
import { backupPath, backupsDir, DEFAULT_KEEP_BACKUPS, latestBackup, recoverLibraryFile } from '../services/backup';
import { inspectLibraryFile, LibraryOpenError } from '../services/libraryFile';
import { acquireLibraryLock, LibraryLockedError } from '../services/lock';
import { defaultDataDir, flagValue, resolveDataDir, resolveKeepBackups } from '../services/paths';
import { LIBRARY_FILE_NAME, openServices, type Services } from '../services/services';
import { ChromiumPdfPrinter } from './pdf';
import { startWebHost } from './server';

const ROOT = path.resolve(__dirname, '..', '..');
const RESOURCES_DIR = path.join(ROOT, 'electron', 'resources');
/** The built renderer `serve` serves: VERBATIM_RENDERER_DIR, else out/renderer (written by `npm run build`). */
const STATIC_DIR = process.env.VERBATIM_RENDERER_DIR ? path.resolve(process.env.VERBATIM_RENDERER_DIR) : path.join(ROOT, 'out', 'renderer');

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

const COMMANDS = ['serve', 'import', 'sources', 'quotes', 'memos', 'export-pdf', 'call', 'backup', 'backups', 'restore', 'new-library'] as const;
type Command = (typeof COMMANDS)[number];

/** An error with the process exit code it ends the CLI with. */
function failure(message: string, exitCode: number): Error {
  return Object.assign(new Error(message), { exitCode });
}

/** A command line the CLI does not understand (exit 2), thrown before anything is opened. */
function usage(why: string): Error {
  return failure(
    `${why}\n` +
      'usage: verbatim <serve|import|sources|quotes|memos|export-pdf|call|backup|backups|restore|new-library> [args] [--data-dir DIR] [--keep-backups N]\n' +
      '  (see the top of electron/web/cli.ts or the README for each command)\n' +
      `methods for "call": ${METHOD_NAMES.join(', ')}`,
    2,
  );
}

/**
 * Check the command and its arguments before the library is opened (so a mistake
 * leaves the data folder as it was). @returns the command and the parsed `call`
 * arguments. @throws a usage error (exit 2) saying what is wrong.
 */
function checkCommandLine(argv: readonly string[]): { command: Command; rest: string[]; callArgs: unknown } {
  const [first, ...rest] = positionals(argv);
  if (!first) throw usage('No command given.');
  if (!(COMMANDS as readonly string[]).includes(first)) throw usage(`Unknown command “${first}”.`);
  const command = first as Command;
  const none = () => {
    if (rest.length > 0) throw usage(`“${command}” takes no arguments, but got: ${rest.join(' ')}.`);
  };
  let callArgs: unknown = undefined;
  switch (command) {
    case 'serve': {
      none();
      const port = flagValue(argv, 'port') ?? process.env.VERBATIM_PORT;
      if (port !== undefined && !(/^\d+$/.test(port) && Number(port) <= 65535)) throw usage(`--port must be a whole number from 0 to 65535 (0 picks a free one), not “${port}”.`);
      break;
    }
    case 'import':
      if (rest.length === 0) throw usage('“import” needs at least one file to import.');
      break;
    case 'export-pdf':
      if (rest.length !== 2) throw usage('“export-pdf” needs a memo id and an output file: export-pdf <memo id> <out.pdf>.');
      break;
    case 'call': {
      const [method, json, ...extra] = rest;
      if (!method) throw usage('“call” needs a method name.');
      if (!(METHOD_NAMES as readonly string[]).includes(method)) throw usage(`“${method}” is not a method of Verbatim's contract.`);
      if (extra.length > 0) throw usage(`“call” takes a method and one JSON argument; quote the JSON as one argument (got also: ${extra.join(' ')}).`);
      try {
        callArgs = json ? JSON.parse(json) : {};
      } catch (error) {
        throw usage(`The arguments are not valid JSON: ${(error as Error).message}`);
      }
      break;
    }
    case 'restore':
      if (argv.includes('--latest') ? rest.length > 0 : rest.length !== 1) throw usage('“restore” needs one backup (its name, or its path in the backups folder) or --latest.');
      break;
    default:
      none();
  }
  return { command, rest, callArgs };
}

/**
 * The backup name `restore` was given, as {@link backupPath} takes it: a bare name, or a
 * path (absolute or relative to the working folder) whose folder is `dataDir`'s backups
 * folder. @throws Error (exit 1) for a path anywhere else.
 */
function restoreName(given: string, dataDir: string): string {
  if (!given.includes('/') && !given.includes(path.sep)) return given;
  const resolved = path.resolve(given);
  const real = (dir: string) => (existsSync(dir) ? realpathSync(dir) : dir);
  const backups = backupsDir(dataDir);
  if (real(path.dirname(resolved)) !== real(backups)) {
    throw failure(`“${given}” is not in this library's backups folder (${backups}). Restore takes a backup from that folder, by name or by path; nothing was changed.`, 1);
  }
  return path.basename(resolved);
}

/** The way forward when a backup or restore finds the library open in another program. */
const LOCKED_BACKUP_HELP =
  '\nTo back up or restore while it runs, do it there: the Backups button in the app or the web page, or ' +
  'POST /api/library.backup (library.restore with {"name": …}) to the running web host with its token (Authorization: Bearer <token>).';

/** What to tell the user when the library cannot be opened: why, and the commands that get them going again (for a newer library: update first). */
function damageHelp(error: LibraryOpenError, dataDir: string): string {
  const latest = latestBackup(dataDir);
  const dir = `--data-dir ${JSON.stringify(dataDir)}`;
  const restore = latest ? `  npm run cli -- restore --latest ${dir}    restore the newest backup this version can open (${latest.name} or older)\n` : '  (there is no backup to restore)\n';
  const serveFlags = `or add --restore-latest / --new-library to "serve".\n`;
  if (error.kind === 'newer') {
    return (
      `${error.message}\n\nUpdate Verbatim to open it: the library is not damaged, and a newer Verbatim opens it with nothing lost.\n\n` +
      'Only if you cannot update and must go on with this version (the newer library is then kept, moved aside as ' +
      'library.damaged-<time>.sqlite, for a newer Verbatim to open later; what you do here will not be in it):\n' +
      restore +
      `  npm run cli -- new-library ${dir}        start a new, empty library\n` +
      serveFlags
    );
  }
  return (
    `${error.message}\n\nWhat you can do (the file is kept either way, moved aside as library.damaged-<time>.sqlite):\n` +
    restore +
    `  npm run cli -- new-library ${dir}        start a new, empty library\n` +
    serveFlags
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
  const { command, rest, callArgs } = checkCommandLine(argv);
  const dataDir = resolveDataDir(argv, process.env, defaultDataDir());
  const keepBackups = resolveKeepBackups(argv, process.env, DEFAULT_KEEP_BACKUPS);
  const libraryFile = path.join(dataDir, LIBRARY_FILE_NAME);
  const lockedHelp = (error: unknown): unknown =>
    error instanceof LibraryLockedError && (command === 'backup' || command === 'backups' || command === 'restore') ? failure(error.message + LOCKED_BACKUP_HELP, 4) : error;

  // Checks that need the data folder but must not create or change anything in it.
  if (command === 'serve' && !existsSync(path.join(STATIC_DIR, 'index.html'))) {
    throw failure(`There is no built renderer in ${STATIC_DIR}: run \`npm run build\` first (or \`npm run web\`, which builds and serves).`, 1);
  }
  if (command === 'restore' && argv.includes('--latest') && !latestBackup(dataDir)) {
    throw failure(`There is no backup in ${backupsDir(dataDir)}, so there is nothing to restore; nothing was changed.`, 1);
  }
  let restoring: string | undefined;
  if (command === 'restore' && !argv.includes('--latest')) {
    restoring = restoreName(rest[0]!, dataDir);
    try {
      backupPath(dataDir, restoring);
    } catch (error) {
      throw failure(`${(error as Error).message} Nothing was changed.`, 1);
    }
  }
  if (command === 'new-library') {
    let state;
    try {
      state = await inspectLibraryFile(libraryFile);
    } catch (error) {
      if (!(error instanceof LibraryOpenError)) throw error;
      await recover(dataDir, 'new-library').catch((e: unknown) => Promise.reject(lockedHelp(e)));
      return;
    }
    if (state.kind === 'new') {
      throw failure(`There is no library in ${dataDir} yet, so there is nothing to replace; nothing was changed. Any command there (for example serve) starts a new one.`, 1);
    }
    throw failure(`The library in ${dataDir} opens fine, so it was left as it is. For a separate new library, use another --data-dir.`, 1);
  }

  const printer = new ChromiumPdfPrinter();
  const open = () =>
    openServices({ host: 'web', lockHost: command === 'serve' ? 'web' : 'cli', dataDir, resourcesDir: RESOURCES_DIR, version: version(), printPdf: (html, printOptions) => printer.print(html, printOptions), warmCitations: command === 'serve', keepBackups, startupBackupDelayMs: command === 'serve' ? 3000 : false });
  let services: Services;
  try {
    try {
      services = await open();
    } catch (error) {
      if (!(error instanceof LibraryOpenError)) throw lockedHelp(error);
      const wantsLatest = (command === 'restore' && argv.includes('--latest')) || (command === 'serve' && argv.includes('--restore-latest'));
      const wantsNew = command === 'serve' && argv.includes('--new-library');
      if (!wantsLatest && !wantsNew) throw failure(damageHelp(error, dataDir), 3);
      await recover(dataDir, wantsLatest ? 'restore-latest' : 'new-library').catch((e: unknown) => Promise.reject(lockedHelp(e)));
      if (command !== 'serve') return;
      services = await open();
    }
  } catch (error) {
    await printer.close();
    throw error;
  }
  // From here on the library is open: every way out goes through the finally that closes it.
  try {
    switch (command) {
      case 'serve': {
        const port = Number(flagValue(argv, 'port') ?? process.env.VERBATIM_PORT ?? 0);
        let host: Awaited<ReturnType<typeof startWebHost>>;
        try {
          host = await startWebHost({ services, staticDir: STATIC_DIR, port, token: process.env.VERBATIM_TOKEN });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw failure(`Port ${port} is in use; choose another with --port (--port 0 picks a free one).`, 1);
          throw error;
        }
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
        const [memoId, out] = rest as [string, string];
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
        const name = restoring ?? latestBackup(dataDir)?.name;
        if (!name) throw failure(`There is no backup in ${backupsDir(dataDir)}, so there is nothing to restore; nothing was changed.`, 1);
        const done = (await call(services, 'library.restore', { name })) as { restored: string; keptAs: string };
        process.stdout.write(`Restored ${done.restored}. The library as it was is kept as ${path.join(dataDir, 'backups', done.keptAs)}\n`);
        return;
      }
      case 'call': {
        const result = await services.dispatch(rest[0]!, callArgs);
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        if (!result.ok) process.exitCode = 1;
        return;
      }
      default:
        // checkCommandLine let through a command this switch does not handle: a bug here, not the user's.
        throw failure(`internal error: the command “${command}” has no handler.`, 1);
    }
  } finally {
    await services.close();
    await printer.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`verbatim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit((error as { exitCode?: number }).exitCode ?? (error instanceof LibraryLockedError ? 4 : 1));
});
