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
 *
 * Every command takes `--data-dir <folder>` (or VERBATIM_DATA_DIR). Exit codes: 0 done,
 * 1 a call failed (the message says why), 2 usage error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { METHOD_NAMES } from '../../shared/methods';
import { defaultDataDir, flagValue, resolveDataDir } from '../services/paths';
import { openServices, type Services } from '../services/services';
import { ChromiumPdfPrinter } from './pdf';
import { startWebHost } from './server';

const ROOT = path.resolve(__dirname, '..', '..');
const RESOURCES_DIR = path.join(ROOT, 'electron', 'resources');
const STATIC_DIR = path.join(ROOT, 'out', 'renderer');

function version(): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Positional arguments: everything that is not a `--flag value` pair. */
function positionals(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      if (!arg.includes('=')) i += 1;
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
    'usage: verbatim <serve|import|sources|quotes|memos|export-pdf|call> [args] [--data-dir DIR]\n' +
      `methods for "call": ${METHOD_NAMES.join(', ')}\n`,
  );
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = positionals(argv);
  if (!command) usage();
  const dataDir = resolveDataDir(argv, process.env, defaultDataDir());
  const printer = new ChromiumPdfPrinter();
  const services = await openServices({ host: 'web', dataDir, resourcesDir: RESOURCES_DIR, version: version(), printPdf: (html, printOptions) => printer.print(html, printOptions), warmCitations: command === 'serve' });
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
  process.exit((error as { exitCode?: number }).exitCode ?? 1);
});
