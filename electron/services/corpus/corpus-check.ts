/**
 * A report, not a test: runs the importer over Mozilla Readability's test pages
 * (`<dir>/<name>/source.html` with `expected-metadata.json`) and compares what Verbatim
 * reads with what Readability's own tests expect: title, byline (against our CSL
 * authors), language, site name, date, and the length of the extracted text. Prints one row per page and the differences
 * below the table, then exits 0.
 *
 *   npm run corpus [-- <dir>]     (default: ../shared/corpus/readability from the project root)
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { JSDOM, VirtualConsole } from 'jsdom';
import { htmlToText, importFile } from '../importer';
import type { CslItem, CslName } from '../../../shared/model';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Expected {
  title?: string | null;
  byline?: string | null;
  lang?: string | null;
  siteName?: string | null;
  publishedTime?: string | null;
}

interface Row {
  name: string;
  title: string;
  byline: string;
  lang: string;
  site: string;
  date: string;
  chars: string;
  /** Length of the text of Readability's expected.html, read the same way. */
  rdChars: string;
  ms: string;
}

/** Words that join or introduce names in a byline, not names themselves. */
const CONNECTORS = new Set(['by', 'von', 'par', 'and', 'und', 'et', 'avec', 'with', 'mit', '&']);

/** The name words of a byline or of CSL names, lower-cased, as a sorted list (order and punctuation do not count). */
function nameWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s,()]+/u)
    .filter((w) => w && !CONNECTORS.has(w))
    .sort();
}

export function formatName(name: CslName): string {
  return name.literal ?? [name.given, name['non-dropping-particle'], name.family].filter(Boolean).join(' ');
}

const formatAuthors = (csl: CslItem): string => (csl.author ?? []).map((n) => (n.literal ? `{${n.literal}}` : formatName(n))).join('; ');

const sameWords = (a: string[], b: string[]) => a.length === b.length && a.every((w, i) => w === b[i]);

const issuedString = (csl: CslItem): string => csl.issued?.['date-parts']?.[0]?.map((n) => String(n).padStart(2, '0')).join('-') ?? '';

/** The length of the text Readability's own test expects (expected.html), read by the importer's htmlToText; '' without the file. */
function expectedTextLength(file: string): string {
  if (!fs.existsSync(file)) return '';
  const dom = new JSDOM(fs.readFileSync(file, 'utf8'), { virtualConsole: new VirtualConsole() });
  try {
    return String(htmlToText(dom.window.document.body).length);
  } finally {
    dom.window.close();
  }
}

function table(rows: Row[]): string {
  const header: Row = { name: 'page', title: 'title', byline: 'byline', lang: 'lang', site: 'site', date: 'date', chars: 'chars', rdChars: 'rd chars', ms: 'ms' };
  const keys = Object.keys(header) as (keyof Row)[];
  const widths = keys.map((k) => Math.max(...[header, ...rows].map((r) => r[k].length)));
  const line = (r: Row) => keys.map((k, i) => (k === 'chars' || k === 'rdChars' || k === 'ms' ? r[k].padStart(widths[i]!) : r[k].padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? path.join(ROOT, '..', 'shared', 'corpus', 'readability'));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.log(`corpus-check: no corpus at ${dir}; nothing to check. Pass a folder of <page>/source.html + expected-metadata.json as the first argument.`);
    return;
  }
  const pages = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'source.html')))
    .map((e) => e.name)
    .sort();
  if (pages.length === 0) {
    console.log(`corpus-check: ${dir} holds no <page>/source.html; nothing to check.`);
    return;
  }
  const rows: Row[] = [];
  const diffs: string[] = [];
  for (const name of pages) {
    const folder = path.join(dir, name);
    const expectedPath = path.join(folder, 'expected-metadata.json');
    const expected: Expected = fs.existsSync(expectedPath) ? (JSON.parse(fs.readFileSync(expectedPath, 'utf8')) as Expected) : {};
    const bytes = fs.readFileSync(path.join(folder, 'source.html'));
    const started = performance.now();
    let csl: CslItem;
    let text: string;
    try {
      ({ csl, text } = await importFile(`${name}.html`, bytes));
    } catch (error) {
      const ms = (performance.now() - started).toFixed(0);
      rows.push({ name, title: 'ERROR', byline: '', lang: '', site: '', date: '', chars: '', rdChars: '', ms });
      diffs.push(`${name}: import failed: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const ms = (performance.now() - started).toFixed(0);
    const pageDiffs: string[] = [];

    const expTitle = (expected.title ?? '').trim();
    const titleOk = expTitle === (csl.title ?? '').trim();
    if (!titleOk) pageDiffs.push(`title     expected ${JSON.stringify(expTitle)}\n              ours     ${JSON.stringify(csl.title ?? null)}`);

    const expByline = (expected.byline ?? '').trim();
    const ours = (csl.author ?? []).map(formatName).join(' ');
    const bylineOk = sameWords(nameWords(expByline), nameWords(ours));
    if (!bylineOk) pageDiffs.push(`byline    expected ${JSON.stringify(expected.byline ?? null)}\n              ours     ${JSON.stringify(formatAuthors(csl) || null)}`);

    const lang = csl.language ?? '';
    const langOk = (expected.lang ?? '') === lang || (expected.lang === undefined && !lang);
    if (!langOk) pageDiffs.push(`lang      expected ${JSON.stringify(expected.lang ?? null)}, ours ${JSON.stringify(csl.language ?? null)}`);

    const expSite = (expected.siteName ?? '').trim();
    const site = (csl['container-title'] ?? '').trim();
    const siteOk = expSite === site;
    if (!siteOk) pageDiffs.push(`site      expected ${JSON.stringify(expected.siteName ?? null)}, ours container-title ${JSON.stringify(csl['container-title'] ?? null)}`);

    const expDate = /^\d{4}-\d{2}-\d{2}/.exec(expected.publishedTime ?? '')?.[0] ?? '';
    const date = issuedString(csl);
    const dateOk = expDate === date;
    if (!dateOk) pageDiffs.push(`date      expected ${JSON.stringify(expected.publishedTime ?? null)}, ours issued ${JSON.stringify(date || null)}`);

    const mark = (ok: boolean) => (ok ? 'ok' : 'diff');
    rows.push({
      name,
      title: mark(titleOk),
      byline: mark(bylineOk),
      lang: `${lang || '-'}${langOk ? '' : ' (diff)'}`,
      site: mark(siteOk),
      date: mark(dateOk),
      chars: String(text.length),
      rdChars: expectedTextLength(path.join(folder, 'expected.html')),
      ms,
    });
    if (pageDiffs.length) diffs.push(`${name}:\n  ${pageDiffs.join('\n  ')}`);
  }
  console.log(`corpus-check: ${pages.length} pages from ${dir}\n`);
  console.log(table(rows));
  console.log('\n(chars: our text; rd chars: the text of Readability\'s expected.html, read the same way)');
  console.log(diffs.length ? `\nDifferences from Readability's expected metadata:\n\n${diffs.join('\n\n')}` : '\nNo differences.');
}

main()
  .catch((error: unknown) => {
    // A report: a crash is printed, not turned into a failing exit code.
    console.error('corpus-check failed:', error);
  })
  .finally(() => {
    process.exitCode = 0;
  });
