/**
 * Bibliography files in and out: BibTeX, BibLaTeX, RIS and CSL-JSON, read and written by
 * citation-js (https://citation.js.org/), the library Zotero-free tools use for this.
 *
 * Reading splits the file into entries first (BibTeX `@type{`, RIS `TY  -` … `ER  -`,
 * CSL-JSON array elements) so every problem is reported with the line its entry starts
 * on, and one bad entry never costs the others. Each entry becomes a CSL-JSON item
 * checked by Verbatim's own schema; a field the schema refuses is dropped and reported.
 * Runs under plain Node; never imports 'electron'.
 */
import { Cite, logger, plugins } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import { parse as parseDate } from '@citation-js/date';
import { CITATION_KEY_PATTERN } from '../../shared/citationKey';
import { ApiError, type BibliographyProblem } from '../../shared/contract';
import { bareDoi, CSL_DATE_VARIABLES, CSL_NAME_VARIABLES, CslItem, mapStrings, type CslName } from '../../shared/model';

/** A bibliography file format Verbatim reads. */
export type BibliographyFormat = 'bibtex' | 'ris' | 'csl-json';

/** One entry read from a file: the line it starts on and its CSL-JSON item (`citation-key` kept when the file had one). */
export interface BibliographyEntry {
  line: number;
  csl: CslItem;
}

/** What {@link parseBibliography} found. */
export interface ParsedBibliography {
  format: BibliographyFormat;
  entries: BibliographyEntry[];
  /** Entries skipped and fields dropped, by line. */
  problems: BibliographyProblem[];
}

/** Which format a file is, from its name and then its content; null when it is none of them. */
export function detectFormat(fileName: string, text: string): BibliographyFormat | null {
  const ext = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'bib' || ext === 'bibtex' || ext === 'biblatex') return 'bibtex';
  if (ext === 'ris') return 'ris';
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('[') || head.startsWith('{')) return 'csl-json';
  if (/^TY {2}- /m.test(head)) return 'ris';
  if (/^\s*@[a-zA-Z]+\s*[{(]/m.test(head)) return 'bibtex';
  return null;
}

/**
 * A function from offset to 1-based line number in `text`. The line breaks are found once
 * and each lookup is a binary search, so a file of tens of thousands of entries is not
 * scanned again for each one.
 */
function lineIndex(text: string): (offset: number) => number {
  const breaks: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) breaks.push(i);
  return (offset) => {
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

/** Run citation-js on one entry's text; its log is cleared afterwards (citation-js keeps every message in memory otherwise). */
function citeData(input: unknown, forceType: string): Record<string, unknown>[] {
  try {
    return new Cite(input, { forceType }).data as Record<string, unknown>[];
  } finally {
    (logger as unknown as { _log: unknown[] })._log.length = 0;
  }
}

/** Person names given whole in braces ("{Amazon Web Services}") come back from BibTeX as a family name alone: keep them whole as CSL `literal`. */
function normalizeName(name: Record<string, unknown>): Record<string, unknown> {
  if (typeof name.family === 'string' && name.given === undefined && /\s/.test(name.family.trim()) && name.literal === undefined) {
    const { family, ...rest } = name;
    return { ...rest, literal: family.trim() };
  }
  return name;
}

/** A `raw` date that citation-js can read becomes `date-parts` ("2024 Feb 21" → [[2024, 2, 21]]); ranges keep both ends. */
function normalizeDate(date: Record<string, unknown>): Record<string, unknown> {
  if (typeof date.raw !== 'string' || date['date-parts'] !== undefined) return date;
  const raw = date.raw.trim();
  const ends = raw.split('/');
  const parsed = ends.map((end) => parseDate(end.trim()) as { 'date-parts'?: number[][] } | undefined);
  if (ends.length <= 2 && parsed.every((p) => p?.['date-parts']?.[0]?.every((n) => Number.isInteger(n)))) {
    return { 'date-parts': parsed.map((p) => p!['date-parts']![0]!) };
  }
  return date;
}

/**
 * A string as one would type it: NFC, and a dotless ı carrying an accent (what LaTeX's
 * {\\'\\i} becomes) turned into the accented i it stands for ("Ligorrı́a" → "Ligorría").
 */
function fixText(text: string): string {
  return text.replace(/ı(?=[\u0300-\u036f])/g, 'i').normalize('NFC');
}

/** Bring one item from citation-js to what Verbatim's schema accepts; report each field that had to go. */
function toCslItem(data: Record<string, unknown>, line: number, problems: BibliographyProblem[]): CslItem | null {
  const item: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key.startsWith('_') || key === 'id') continue;
    item[key] = mapStrings(value, fixText);
  }
  for (const v of CSL_NAME_VARIABLES) if (Array.isArray(item[v])) item[v] = (item[v] as Record<string, unknown>[]).map(normalizeName);
  for (const v of CSL_DATE_VARIABLES) if (item[v] && typeof item[v] === 'object') item[v] = normalizeDate(item[v] as Record<string, unknown>);
  if (typeof item.DOI === 'string') item.DOI = bareDoi(item.DOI);
  if (typeof item.type !== 'string' || item.type === '') item.type = 'document';
  let parsed = CslItem.safeParse(item);
  if (!parsed.success) {
    const bad = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '')))];
    for (const key of bad) {
      const issue = parsed.error.issues.find((i) => String(i.path[0]) === key)!;
      problems.push({ line, kind: 'warning', message: `${key || 'entry'} left out: ${issue.message}` });
      delete item[key];
    }
    parsed = CslItem.safeParse(item);
    if (!parsed.success) {
      problems.push({ line, kind: 'skipped', message: `Entry skipped: ${parsed.error.issues[0]?.message ?? 'not a bibliographic entry'}` });
      return null;
    }
  }
  const csl = parsed.data;
  const names = csl.author as CslName[] | undefined;
  if (!csl.title && !names?.length && !csl['container-title']) {
    problems.push({ line, kind: 'skipped', message: 'Entry skipped: it has no title, author or container title.' });
    return null;
  }
  return csl;
}

function splitBibtex(text: string, problems: BibliographyProblem[], lineAt: (offset: number) => number): { line: number; chunk: string }[] {
  const starts: { offset: number; type: string }[] = [];
  const re = /^[ \t]*@([a-zA-Z]+)[ \t]*[{(]/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push({ offset: m.index, type: m[1]!.toLowerCase() });
  const strings: string[] = [];
  const entries: { line: number; chunk: string }[] = [];
  starts.forEach((start, i) => {
    const chunk = text.slice(start.offset, starts[i + 1]?.offset ?? text.length);
    if (start.type === 'string') strings.push(chunk);
    else if (start.type !== 'comment' && start.type !== 'preamble') entries.push({ line: lineAt(start.offset), chunk });
  });
  if (starts.length === 0) problems.push({ line: 1, kind: 'skipped', message: 'No BibTeX entry found (entries start with @article{, @book{, …).' });
  // @string macros: each entry gets the ones it uses (and those they use), not all of them,
  // so a file with hundreds of macros and thousands of entries stays linear.
  const macros = new Map<string, string>();
  for (const def of strings) {
    const name = /^[ \t]*@string[ \t]*[{(]\s*([^\s=#{}(),"]+)/i.exec(def)?.[1]?.toLowerCase();
    if (name) macros.set(name, def);
  }
  const used = (chunk: string): string[] => {
    const found = new Set<string>();
    const queue = [chunk];
    while (queue.length > 0) {
      const text = queue.pop()!;
      for (const m of text.matchAll(/(?:=|#)\s*([A-Za-z_][^\s=#{}(),"]*)/g)) {
        const name = m[1]!.toLowerCase();
        if (macros.has(name) && !found.has(name)) {
          found.add(name);
          queue.push(macros.get(name)!);
        }
      }
    }
    return [...macros.keys()].filter((name) => found.has(name)).map((name) => macros.get(name)!); // in file order, as BibTeX reads them
  };
  const MONTHS = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']);
  return entries.map((e) => {
    // A bare word as a value is a macro; one the file never defines leaves its field empty: say so.
    for (const m of e.chunk.matchAll(/(?:=|#)\s*([A-Za-z_][^\s=#{}(),"]*)/g)) {
      const name = m[1]!.toLowerCase();
      if (!macros.has(name) && !MONTHS.has(name)) problems.push({ line: e.line, kind: 'warning', message: `Uses the @string “${m[1]!.slice(0, 60)}”, which the file does not define; that field is left empty.` });
    }
    const defs = macros.size ? used(e.chunk) : [];
    return { line: e.line, chunk: defs.length ? `${defs.join('\n')}\n${e.chunk}` : e.chunk };
  });
}

function splitRis(text: string, problems: BibliographyProblem[]): { line: number; chunk: string }[] {
  const lines = text.split('\n');
  const out: { line: number; chunk: string }[] = [];
  let current: { line: number; rows: string[] } | null = null;
  lines.forEach((raw, i) => {
    const row = raw.replace(/\r$/, '');
    const tag = /^([A-Z][A-Z0-9])  -( |$)/.exec(row)?.[1];
    if (tag === 'TY') {
      if (current) problems.push({ line: current.line, kind: 'warning', message: 'Record has no ER line; it ends where the next TY begins.' });
      if (current) out.push({ line: current.line, chunk: `${current.rows.join('\n')}\nER  - \n` });
      current = { line: i + 1, rows: [row] };
    } else if (tag === 'ER') {
      if (current) out.push({ line: current.line, chunk: `${current.rows.join('\n')}\nER  - \n` });
      else problems.push({ line: i + 1, kind: 'warning', message: 'ER without a TY before it; ignored.' });
      current = null;
    } else if (current) {
      current.rows.push(row);
    } else if (row.trim() !== '') {
      problems.push({ line: i + 1, kind: 'skipped', message: `Not inside a RIS record (records start with “TY  - ”): “${row.trim().slice(0, 60)}”` });
    }
  });
  if (current) {
    const last = current as { line: number; rows: string[] };
    problems.push({ line: last.line, kind: 'warning', message: 'The last record has no ER line.' });
    out.push({ line: last.line, chunk: `${last.rows.join('\n')}\nER  - \n` });
  }
  return out;
}

/** A RIS name ("Family, Given, Suffix", as the RIS spec writes them) as CSL; one word alone is a family name, several an institution. */
function risName(text: string): Record<string, unknown> {
  const parts = text.split(/,\s*/);
  const [family = '', given, suffix] = parts;
  if (parts.length === 1) return family.trim().includes(' ') ? { literal: text.trim() } : { family: family.trim() };
  return { family: family.trim(), ...(given?.trim() ? { given: given.trim() } : {}), ...(suffix?.trim() ? { suffix: suffix.trim() } : {}) };
}

/** Lower-case words before a RIS family name ("van der Berg") are its particle, as BibTeX's "von" part becomes one. */
function splitParticle(name: Record<string, unknown>): Record<string, unknown> {
  if (typeof name.family !== 'string' || name['non-dropping-particle'] !== undefined) return name;
  const m = /^((?:\p{Ll}+['’]?\s+)+)(\p{Lu}.*)$/u.exec(name.family.trim());
  return m ? { ...name, 'non-dropping-particle': m[1]!.trim(), family: m[2]! } : name;
}

/**
 * What citation-js leaves out of a RIS record: the authors of a newspaper article (NEWS:
 * citation-js reads AU into `reporter`, which is no CSL name variable), the full date when
 * only PY was used (NEWS reads PY alone), particles in family names, and the record's ID
 * (kept as its citation key, as a BibTeX entry key is, unless it is only a number).
 */
function completeRisItem(item: Record<string, unknown>, chunk: string): Record<string, unknown> {
  const out = { ...item };
  if (out.author === undefined && out.reporter !== undefined && out.type === 'article-newspaper') {
    const reporters = ([] as unknown[]).concat(out.reporter).filter((r): r is string => typeof r === 'string' && r.trim() !== '');
    if (reporters.length) out.author = reporters.map(risName);
    delete out.reporter;
  }
  for (const v of CSL_NAME_VARIABLES) if (Array.isArray(out[v])) out[v] = (out[v] as unknown[]).map((n) => (n && typeof n === 'object' ? splitParticle(n as Record<string, unknown>) : n));
  const issued = out.issued as { 'date-parts'?: unknown[][] } | undefined;
  const year = issued?.['date-parts']?.length === 1 && issued['date-parts'][0]!.length === 1 ? issued['date-parts'][0]![0] : undefined;
  const da = /^DA {2}- (\d{4})\/(\d{1,2})\/?(\d{1,2})?/m.exec(chunk);
  if (year !== undefined && da && Number(da[1]) === Number(year)) {
    const month = Number(da[2]);
    const day = da[3] ? Number(da[3]) : undefined;
    if (month >= 1 && month <= 12) out.issued = { 'date-parts': [[Number(da[1]), month, ...(day && day >= 1 && day <= 31 ? [day] : [])]] };
  }
  // A number alone ("ID  - 4711") is a database's record number, not a key anyone cites by.
  const id = /^ID {2}- (.+)$/m.exec(chunk)?.[1]?.trim();
  if (id && /\p{L}/u.test(id) && out['citation-key'] === undefined) out['citation-key'] = id;
  return out;
}

/**
 * In RIS, PY is the publication year; Y1 (the old primary date) and DA (the newer "date"
 * tag, which some exporters fill with another date) may disagree with it. The issued date
 * follows PY: the full date of Y1 or DA when its year is PY's, else PY's year alone. A
 * disagreement is reported as a warning naming the date used.
 */
function risPublicationDate(chunk: string, line: number, csl: CslItem, problems: BibliographyProblem[]): void {
  const dates = new Map<string, number[]>();
  for (const m of chunk.matchAll(/^(PY|Y1|DA) {2}- (\d{4})(?:\/(\d{1,2}))?(?:\/(\d{1,2}))?/gm)) {
    if (!dates.has(m[1]!)) dates.set(m[1]!, [m[2], m[3], m[4]].filter((v): v is string => v !== undefined && v !== '').map(Number));
  }
  const years = new Set([...dates.values()].map((d) => d[0]));
  if (years.size <= 1) return;
  const publication = dates.get('PY')?.[0] ?? dates.get('Y1')?.[0];
  if (publication === undefined) return;
  const full = [dates.get('Y1'), dates.get('DA')].find((d) => d && d[0] === publication && d.length > 1 && (d[1]! >= 1 && d[1]! <= 12));
  csl.issued = { 'date-parts': [full ?? [publication]] };
  const used = (full ?? [publication]).map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, '0'))).join('-');
  problems.push({ line, kind: 'warning', message: `The record's dates disagree (${[...dates].map(([t, d]) => `${t} ${d.join('/')}`).join(', ')}); the publication year (PY) wins: ${used}. Check it.` });
}

/** Top-level elements of a JSON array with the offset each starts at (strings and nesting respected; numbers, strings and null count too). */
function jsonArrayElementOffsets(text: string): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectElement && !/\s/.test(ch) && ch !== ']') {
      offsets.push(i);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth += 1;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth -= 1;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return offsets;
}

/**
 * Read a bibliography file into CSL-JSON items, entry by entry.
 * Line endings may be LF or CRLF; a byte-order mark is ignored.
 * @throws ApiError `invalid_bibliography` when the file is not BibTeX, RIS or CSL-JSON at all, or has no readable entry (with the line-numbered reasons).
 */
export function parseBibliography(fileName: string, input: string): ParsedBibliography {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const format = detectFormat(fileName, text);
  const lineAt = lineIndex(text);
  if (!format) throw new ApiError('invalid_bibliography', `${fileName} is not a bibliography file: Verbatim reads BibTeX (.bib), RIS (.ris) and CSL-JSON (.json).`);
  const problems: BibliographyProblem[] = [];
  const entries: BibliographyEntry[] = [];
  if (format === 'csl-json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message)?.[1];
      const line = position ? lineAt(Number(position)) : 1;
      throw new ApiError('invalid_bibliography', `${fileName}: line ${line}: not valid JSON (${(error as Error).message}). Nothing was imported.`);
    }
    const list = Array.isArray(data) ? data : [data];
    const offsets = Array.isArray(data) ? jsonArrayElementOffsets(text) : [text.indexOf('{')];
    list.forEach((element, i) => {
      const line = lineAt(offsets[i] ?? 0);
      if (element === null || typeof element !== 'object' || Array.isArray(element)) {
        problems.push({ line, kind: 'skipped', message: 'Entry skipped: a CSL-JSON item is an object.' });
        return;
      }
      // In CSL-JSON the `id` is the key pandoc cites by ([@id]); keep it unless the item names a citation-key.
      const record = element as Record<string, unknown>;
      const ownKey = typeof record.id === 'string' && /\p{L}/u.test(record.id) && CITATION_KEY_PATTERN.test(record.id.trim()) && record['citation-key'] === undefined;
      const csl = toCslItem(ownKey ? { ...record, 'citation-key': (record.id as string).trim() } : record, line, problems);
      if (csl) entries.push({ line, csl });
    });
  } else {
    const chunks = format === 'bibtex' ? splitBibtex(text, problems, lineAt) : splitRis(text, problems);
    for (const { line, chunk } of chunks) {
      let data: Record<string, unknown>[];
      try {
        data = citeData(chunk, format === 'bibtex' ? '@biblatex/text' : '@ris/file');
      } catch (error) {
        // The parser's own "at line 6 col 1" counts from the entry (and any @string macros given to it), not the file: leave it out.
        const reason = ((error as Error).message.split('\n')[0] ?? '').replace(/\s*at line \d+ col \d+:?\s*$/, '').trim();
        const why = /got EOF/.test(reason) ? 'it ends before it is complete (a { or " left open?)' : reason || 'it could not be read';
        problems.push({ line, kind: 'skipped', message: `Entry skipped: ${why}.` });
        continue;
      }
      if (data.length === 0) {
        problems.push({ line, kind: 'skipped', message: 'Entry skipped: it could not be read.' });
        continue;
      }
      for (const item of data) {
        const csl = toCslItem(format === 'ris' ? completeRisItem(item, chunk) : item, line, problems);
        if (!csl) continue;
        if (format === 'ris') risPublicationDate(chunk, line, csl, problems);
        entries.push({ line, csl });
      }
    }
  }
  problems.sort((a, b) => a.line - b.line);
  if (entries.length === 0) {
    const reasons = problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`).join('; ');
    throw new ApiError('invalid_bibliography', `${fileName}: no entry could be read${reasons ? ` (${reasons})` : ''}. Nothing was imported.`);
  }
  return { format, entries, problems };
}

/** A source to write out: its CSL item and citation key. */
export interface ExportItem {
  csl: CslItem;
  citationKey: string;
}

const FORMAT_FILES: Record<'csl-json' | 'bibtex' | 'biblatex' | 'ris', { ext: string; mediaType: string; citeFormat: string }> = {
  'csl-json': { ext: 'json', mediaType: 'application/vnd.citationstyles.csl+json', citeFormat: 'data' },
  bibtex: { ext: 'bib', mediaType: 'application/x-bibtex', citeFormat: 'bibtex' },
  biblatex: { ext: 'bib', mediaType: 'application/x-bibtex', citeFormat: 'biblatex' },
  ris: { ext: 'ris', mediaType: 'application/x-research-info-systems', citeFormat: 'ris' },
};

/** citation-js's BibTeX plugin settings (https://citation.js.org/api/0.7/tutorial-plugins.html). */
function bibtexConfig(): { constants: Record<string, Record<string, string>>; format: { checkLabel: boolean } } {
  return (plugins as unknown as { config: { get(ref: string): ReturnType<typeof bibtexConfig> } }).config.get('@bibtex');
}

/** Characters citation-js writes as LaTeX in BibTeX (commands, ligatures, accents); anything else it drops. */
let latexChars: Set<string> | null = null;
const LATEX_ACCENTS = /[\u0300-\u0308\u030a-\u030c\u0332\u0323\u0327\u0328\u0361\u0326]/;
const SAFE_ASCII = /[a-zA-Z0-9\s!"'()*+,\-./:;=?@[\]&%$#_{}]/;

/** True when citation-js can write this character (with its accents) in ASCII BibTeX. */
function bibtexWritable(cluster: string): boolean {
  // A brace in a value is a literal character; written raw, it would unbalance the field.
  if (cluster === '{' || cluster === '}') return false;
  if (!latexChars) {
    const { constants } = bibtexConfig();
    latexChars = new Set([...Object.values(constants.commands ?? {}), ...Object.values(constants.ligatures ?? {})]);
  }
  return [...cluster.normalize('NFKD')].every((ch, i) => SAFE_ASCII.test(ch) || latexChars!.has(ch) || (i > 0 && LATEX_ACCENTS.test(ch)));
}

const KEEP_OPEN = 'vbtmkeep';
const KEEP_CLOSE = 'x';
const KEPT = new RegExp(`${KEEP_OPEN}([0-9a-fy]+)${KEEP_CLOSE}`, 'g');

/**
 * citation-js writes BibTeX in ASCII and drops every character it has no LaTeX for: a
 * Cyrillic, Greek or CJK title would come out blank. Such characters (with their combining
 * marks) are swapped for ASCII placeholders before formatting and put back after, so they
 * are written as UTF-8 (as Zotero does), while "ä" still becomes {\"a}.
 */
function protectForBibtex(text: string): string {
  return text.normalize('NFC').replace(/\P{M}\p{M}*/gu, (cluster) => (bibtexWritable(cluster) ? cluster : `${KEEP_OPEN}${[...cluster].map((c) => c.codePointAt(0)!.toString(16)).join('y')}${KEEP_CLOSE}`));
}

function restoreAfterBibtex(text: string): string {
  return text.replace(KEPT, (_, hex: string) => {
    const chars = String.fromCodePoint(...hex.split('y').map((h) => parseInt(h, 16)));
    // Literal braces as LaTeX's text commands, which keep the field's braces balanced.
    return chars === '{' ? '{\\textbraceleft}' : chars === '}' ? '{\\textbraceright}' : chars;
  });
}

/** A name as BibTeX and RIS can hold it: they know one particle, written before the family name ("van Gogh, Vincent"). */
function withOneParticle(name: CslName): CslName {
  const dropping = name['dropping-particle']?.trim();
  if (!dropping) return name;
  const { 'dropping-particle': _d, ...rest } = name;
  return { ...rest, 'non-dropping-particle': [dropping, name['non-dropping-particle']?.trim()].filter(Boolean).join(' ') };
}

/** A name for citation-js's RIS writer, which reads family, given and suffix only: particles go into the family name. */
function risFamilyName(name: CslName): CslName {
  const one = withOneParticle(name);
  const particle = one['non-dropping-particle']?.trim();
  if (!particle || !one.family) return one;
  const { 'non-dropping-particle': _p, ...rest } = one;
  return { ...rest, family: `${particle} ${one.family}` };
}

function mapNames(item: Record<string, unknown>, fn: (name: CslName) => CslName): Record<string, unknown> {
  const out = { ...item };
  for (const v of CSL_NAME_VARIABLES) if (Array.isArray(out[v])) out[v] = (out[v] as CslName[]).map(fn);
  return out;
}

/** A CSL name as a RIS name: "Family, Given, Suffix", or an institution whole. */
function risNameText(name: CslName): string {
  if (name.literal) return name.literal;
  return [name.family, name.given, name.suffix].filter((p) => p && p.trim()).join(', ');
}

/**
 * One RIS record by citation-js, completed where its writer leaves things out: a newspaper
 * article's authors (it writes NEWS authors from `reporter` only) and, for every type, the
 * full date as DA when PY alone was written.
 */
/** White space inside values becomes one space: in RIS a line that starts "ER  - " would end the record early, and readers take "XX  - " inside a line for a tag. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function risRecord(source: Record<string, unknown>): string {
  const item = mapStrings(source, oneLine);
  const text = new Cite([item]).format('ris', { format: 'text' }) as string;
  // citation-js wraps values at 70 characters with a bare line break; RIS readers take a
  // line without a tag as garbage (a URL would be cut), so continuation lines are joined back.
  const lines: string[] = [];
  for (const line of text.replace(/\n+$/, '').split('\n')) {
    if (lines.length > 0 && !/^[A-Z][A-Z0-9]  -( |$)/.test(line)) lines[lines.length - 1] += line;
    else lines.push(line);
  }
  // A page range is SP (start page) and EP (end page) in RIS, not "SP - 101-130".
  const spAt = lines.findIndex((l) => l.startsWith('SP  - '));
  const range = spAt >= 0 ? /^SP {2}- (\S+?)\s*[-–—]+\s*(\S+)$/.exec(lines[spAt]!) : null;
  if (range && !lines.some((l) => l.startsWith('EP  - '))) lines.splice(spAt, 1, `SP  - ${range[1]}`, `EP  - ${range[2]}`);
  // citation-js cuts ID to 20 characters (the old RIS spec's limit); readers today take any length, and the key must survive.
  const idAt = lines.findIndex((l) => l.startsWith('ID  - '));
  if (idAt >= 0 && typeof item.id === 'string') lines[idAt] = `ID  - ${item.id}`;
  const authors = (item.author as CslName[] | undefined) ?? [];
  if (authors.length && !lines.some((l) => l.startsWith('AU  - ') || l.startsWith('A1  - '))) {
    lines.splice(1, 0, ...authors.map((n) => `AU  - ${risNameText(n)}`));
  }
  const parts = (item.issued as { 'date-parts'?: (number | string)[][] } | undefined)?.['date-parts']?.[0];
  if (parts && parts.length > 1 && !lines.some((l) => l.startsWith('DA  - '))) {
    const at = lines.findIndex((l) => l.startsWith('PY  - '));
    const da = `DA  - ${String(parts[0]).padStart(4, '0')}/${String(parts[1]).padStart(2, '0')}/${parts[2] !== undefined ? String(parts[2]).padStart(2, '0') : ''}/`;
    lines.splice(at >= 0 ? at : lines.length - 1, 0, da);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Write items as CSL-JSON (pretty, with `id` and `citation-key` the citation key), BibTeX,
 * BibLaTeX or RIS (entry keys / ID the citation key, written as they are). Institutional
 * names stay whole (BibTeX braces them); particles are kept (BibTeX's "von" part, RIS's
 * family name); characters without a LaTeX form are written as UTF-8 rather than lost.
 * Returns the text, a file extension and a media type.
 */
export function formatBibliography(items: readonly ExportItem[], format: keyof typeof FORMAT_FILES): { text: string; ext: string; mediaType: string } {
  const data = items.map(({ csl, citationKey }) => ({ ...csl, id: citationKey, 'citation-key': citationKey }));
  const spec = FORMAT_FILES[format];
  if (format === 'csl-json') return { text: `${JSON.stringify(data, null, 2)}\n`, ext: spec.ext, mediaType: spec.mediaType };
  try {
    if (format === 'ris') {
      return { text: data.map((item) => risRecord(mapNames(item, risFamilyName))).join(''), ext: spec.ext, mediaType: spec.mediaType };
    }
    const prepared = data.map(({ id, 'citation-key': key, ...rest }) => ({ id, 'citation-key': key, ...mapStrings(mapNames(rest, withOneParticle), protectForBibtex) }));
    // citation-js replaces an entry key holding "-", ":", "." or "/" (common in keys: "doe-2020", "Doe:2020") with one it makes
    // up; the key is the point of the export, so it is written as it is (keys never hold spaces, commas or braces).
    const settings = bibtexConfig().format;
    const checkLabel = settings.checkLabel;
    settings.checkLabel = false;
    try {
      return { text: restoreAfterBibtex(new Cite(prepared).format(spec.citeFormat, { format: 'text' }) as string), ext: spec.ext, mediaType: spec.mediaType };
    } finally {
      settings.checkLabel = checkLabel;
    }
  } finally {
    (logger as unknown as { _log: unknown[] })._log.length = 0;
  }
}
