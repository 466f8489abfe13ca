/**
 * Citations at the services level, through `dispatch` as the hosts call it: bibliography
 * import and export, citation keys, quote locators, styles, rendering, PDF notes, and
 * migration 2's backfill. Expected values are worked out by hand: paragraph numbers by
 * counting the blank-line-separated blocks of the text below, citations from APA 7 and
 * the Chicago Manual of Style, keys from the rule in shared/citationKey.ts.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CslItem, SourceSummary } from '../../shared/model';
import { PAGED_CONFIG_SCRIPT } from '../../shared/printHtml';
import { Database } from './db';
import { LATEST_SCHEMA_VERSION, migrate, MIGRATIONS, schemaVersion } from './migrations';
import { LibraryStore } from './store';
import { openTestLibrary, type TestLibrary } from './testing';

const CHICAGO_TIMEOUT = 30_000;

/**
 * A pasted text with its paragraphs counted by hand (a paragraph ends at a blank line; a
 * single line break does not end one; several blank lines are one break; a line of only
 * spaces and tabs is blank).
 */
const HARBOUR = [
  'Harbour Report', // paragraph 1
  '',
  'The council met on Monday.', // paragraph 2
  '',
  'Residents asked about the harbour wall.', // paragraph 3
  'The mayor answered at length.', // still paragraph 3
  '',
  '',
  '“We will rebuild it by spring,” the mayor said.', // paragraph 4
  ' \t',
  'Nobody applauded.', // paragraph 5
].join('\n');

const OKAFOR: CslItem = { type: 'report', title: 'Harbour Report', author: [{ family: 'Okafor', given: 'Ngozi' }], issued: { 'date-parts': [[2023]] }, publisher: 'Town Council' };
const RIVERA: CslItem = { type: 'book', title: 'Tides and Towns', author: [{ family: 'Rivera', given: 'Ana' }], issued: { 'date-parts': [[2019]] }, publisher: 'Coastline Press' };

/** Expect a call to fail with `code`; returns the error message. */
async function expectError(promise: Promise<unknown>, code: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect((error as { code?: string }).code, (error as Error).message).toBe(code);
    return (error as Error).message;
  }
  throw new Error(`expected ${code}, the call succeeded`);
}

const bySourceKey = (sources: SourceSummary[]) => Object.fromEntries(sources.map((s) => [s.citationKey, s]));

/** Paste the harbour text and give it metadata; returns the source. */
async function harbourSource(lib: TestLibrary, csl: CslItem = OKAFOR): Promise<SourceSummary> {
  const pasted = await lib.call('sources.importText', { text: HARBOUR });
  return lib.call('sources.updateMetadata', { id: pasted.id, csl });
}

/** A quote of the first occurrence of `exact` in the harbour text. */
async function quoteOf(lib: TestLibrary, sourceId: string, exact: string) {
  const start = HARBOUR.indexOf(exact);
  expect(start, exact).toBeGreaterThanOrEqual(0);
  return lib.call('quotes.create', { sourceId, start, end: start + exact.length });
}

describe('sources.importBibliography and sources.exportBibliography', () => {
  let lib: TestLibrary;
  beforeAll(async () => {
    lib = await openTestLibrary();
  });
  afterAll(async () => {
    await lib.dispose();
  });

  const THREE = JSON.stringify([
    { type: 'article-newspaper', title: 'Parler sues Amazon over ban', author: [{ family: 'Paul', given: 'Kari' }], 'container-title': 'Example Daily', issued: { 'date-parts': [[2021, 1, 11]] } },
    { type: 'article-newspaper', title: 'Parler: what comes next', author: [{ family: 'Paul', given: 'Kari' }], 'container-title': 'Example Daily', issued: { 'date-parts': [[2021, 1, 12]] } },
    { type: 'report', title: 'Overview', author: [{ literal: 'Amazon Web Services' }], issued: { 'date-parts': [[2020]] }, 'citation-key': 'aws-overview' },
  ]);
  let created: SourceSummary[] = [];

  it('creates one metadata-only source per entry, each with a unique key; a key the file gives is kept', async () => {
    const before = await lib.call('sources.list', {});
    const result = await lib.call('sources.importBibliography', { fileName: 'three.json', text: THREE });
    created = result.created;
    expect(result).toMatchObject({ format: 'csl-json', updated: null, problems: [] });
    // Same author, year and first title word: the second gets "a" (BibTeX's 2021a).
    expect(created.map((s) => s.citationKey)).toEqual(['paul2021parler', 'paul2021parlera', 'aws-overview']);
    expect(created.map((s) => s.title)).toEqual(['Parler sues Amazon over ban', 'Parler: what comes next', 'Overview']);
    for (const s of created) expect(s).toMatchObject({ textLength: 0, quoteCount: 0, origin: { kind: 'bibliography', fileName: 'three.json' } });
    expect((await lib.call('sources.get', { id: created[0]!.id })).text).toBe('');
    expect(await lib.call('sources.list', {})).toHaveLength(before.length + 3);
  });

  it('keeps BibTeX entry keys, and makes a taken one unique on a second import', async () => {
    const bib = '@book{lovelace1843notes,\n  author = {Ada Lovelace},\n  title = {Notes on the Analytical Engine},\n  year = {1843},\n}\n';
    const first = await lib.call('sources.importBibliography', { fileName: 'ada.bib', text: bib });
    expect(first.format).toBe('bibtex');
    expect(first.created.map((s) => s.citationKey)).toEqual(['lovelace1843notes']);
    const second = await lib.call('sources.importBibliography', { fileName: 'ada.bib', text: bib });
    expect(second.created.map((s) => s.citationKey)).toEqual(['lovelace1843notesa']);
  });

  it('reports a broken entry by line and imports the rest', async () => {
    const text = [
      /* 1 */ 'TY  - BOOK',
      /* 2 */ 'TI  - Tides and Towns',
      /* 3 */ 'AU  - Rivera, Ana',
      /* 4 */ 'PY  - 2019',
      /* 5 */ 'ER  - ',
      /* 6 */ 'TY  - BOOK',
      /* 7 */ 'PY  - 2020',
      /* 8 */ 'ER  - ',
    ].join('\r\n');
    const result = await lib.call('sources.importBibliography', { fileName: 'two.ris', text });
    expect(result.created.map((s) => s.citationKey)).toEqual(['rivera2019tides']);
    expect(result.problems).toEqual([expect.objectContaining({ line: 6, kind: 'skipped' })]);
  });

  it('with targetSourceId, changes that source’s metadata only', async () => {
    const pasted = await lib.call('sources.importText', { text: HARBOUR });
    const before = await lib.call('sources.list', {});
    const bib = '@report{okafor2023harbour,\n  author = {Okafor, Ngozi},\n  title = {Harbour Report},\n  institution = {Town Council},\n  year = {2023},\n}\n@book{extra, title = {Not used}}\n';
    const result = await lib.call('sources.importBibliography', { fileName: 'one.bib', text: bib, targetSourceId: pasted.id });
    expect(result.created).toEqual([]);
    expect(result.updated).toMatchObject({ id: pasted.id, csl: { type: 'report', title: 'Harbour Report', author: [{ family: 'Okafor', given: 'Ngozi' }], issued: { 'date-parts': [[2023]] } } });
    // The second entry is not used, and the report says so on its line (7).
    expect(result.problems).toEqual([expect.objectContaining({ line: 7, kind: 'warning' })]);
    const after = await lib.call('sources.list', {});
    expect(after).toHaveLength(before.length);
    // Every other source is exactly as it was; the target keeps its text.
    expect(after.filter((s) => s.id !== pasted.id)).toEqual(before.filter((s) => s.id !== pasted.id));
    expect((await lib.call('sources.get', { id: pasted.id })).text).toBe(HARBOUR);
  });

  it('with targetSourceId, a key Verbatim made follows the imported metadata', async () => {
    const pasted = await lib.call('sources.importText', { text: 'Harbour Report\n\nA second copy, for the key.' });
    expect(pasted.citationKey).toMatch(/^anonndharbour[a-z]*$/);
    const bib = '@report{okafor2023harbour,\n  author = {Okafor, Ngozi},\n  title = {Harbour Report},\n  year = {2023},\n}\n';
    const taken = new Set((await lib.call('sources.list', {})).map((s) => s.citationKey));
    const result = await lib.call('sources.importBibliography', { fileName: 'one.bib', text: bib, targetSourceId: pasted.id });
    expect(result.updated!.citationKey).toBe(taken.has('okafor2023harbour') ? 'okafor2023harboura' : 'okafor2023harbour');
  });

  it('changes nothing when no entry can be read', async () => {
    const before = await lib.call('sources.list', {});
    const [target] = before;
    const attempts = [
      { fileName: 'notes.txt', text: 'Dear diary,\nI read about harbours today.\n' },
      { fileName: 'empty.bib', text: '' },
      { fileName: 'broken.json', text: '[\n  { "type": "book", "title": "A" }\n  { "type": "book", "title": "B" }\n]' },
      { fileName: 'nothing.bib', text: '@misc{x, year = {2001}}' },
    ];
    for (const args of attempts) {
      const message = await expectError(lib.call('sources.importBibliography', args), 'invalid_bibliography');
      expect(message, args.fileName).toMatch(/nothing was imported|not a bibliography/i);
      await expectError(lib.call('sources.importBibliography', { ...args, targetSourceId: target!.id }), 'invalid_bibliography');
    }
    expect(await lib.call('sources.list', {})).toEqual(before);
  });

  it('exports CSL-JSON, BibTeX, BibLaTeX and RIS with the citation keys', async () => {
    const ids = created.map((s) => s.id);
    const json = await lib.call('sources.exportBibliography', { ids, format: 'csl-json' });
    expect(json).toMatchObject({ fileName: 'verbatim-3-sources.json', mediaType: 'application/vnd.citationstyles.csl+json' });
    const items = JSON.parse(json.text) as CslItem[];
    expect(items.map((i) => [i.id, i['citation-key']])).toEqual([
      ['paul2021parler', 'paul2021parler'],
      ['paul2021parlera', 'paul2021parlera'],
      ['aws-overview', 'aws-overview'],
    ]);
    expect(items[2]!.author).toEqual([{ literal: 'Amazon Web Services' }]);

    const bib = await lib.call('sources.exportBibliography', { ids, format: 'bibtex' });
    expect(bib.fileName).toBe('verbatim-3-sources.bib');
    for (const key of ['paul2021parler', 'paul2021parlera', 'aws-overview']) expect(bib.text, key).toMatch(new RegExp(`^@\\w+\\{${key},$`, 'm'));
    expect(bib.text).toContain('{Amazon Web Services}');

    const biblatex = await lib.call('sources.exportBibliography', { ids, format: 'biblatex' });
    for (const key of ['paul2021parler', 'paul2021parlera', 'aws-overview']) expect(biblatex.text, key).toMatch(new RegExp(`^@\\w+\\{${key},$`, 'm'));

    const ris = await lib.call('sources.exportBibliography', { ids, format: 'ris' });
    expect(ris.fileName).toBe('verbatim-3-sources.ris');
    for (const key of ['paul2021parler', 'paul2021parlera', 'aws-overview']) expect(ris.text, key).toMatch(new RegExp(`^ID {2}- ${key}$`, 'm'));

    // One source: the file is named after its key.
    expect((await lib.call('sources.exportBibliography', { ids: [created[2]!.id], format: 'bibtex' })).fileName).toBe('aws-overview.bib');
    await expectError(lib.call('sources.exportBibliography', { ids: ['no-such-source'], format: 'ris' }), 'not_found');
  });

  it('reads its own export back to the same metadata and keys', async () => {
    const ids = created.map((s) => s.id);
    for (const format of ['csl-json', 'bibtex', 'ris'] as const) {
      const out = await lib.call('sources.exportBibliography', { ids, format });
      const back = await lib.call('sources.importBibliography', { fileName: out.fileName, text: out.text });
      // The keys are taken now, so the copies get the next free ones.
      expect(back.created.map((s) => s.citationKey), format).toEqual(created.map((s) => uniqueNext(s.citationKey, format)));
      expect(back.created.map((s) => s.csl.author), format).toEqual(created.map((s) => s.csl.author));
      expect(back.created.map((s) => s.csl.issued), format).toEqual(created.map((s) => s.csl.issued));
      expect(back.created.map((s) => s.title), format).toEqual(created.map((s) => s.title));
    }
  });
});

/** The key a re-imported copy gets: csl-json is read first (suffix "a" or the next one), then bibtex, then ris. */
function uniqueNext(key: string, format: 'csl-json' | 'bibtex' | 'ris'): string {
  // paul2021parler already has "paul2021parlera" (the second article) beside it, so its first copy is "…b".
  const copies: Record<string, string[]> = {
    paul2021parler: ['paul2021parlerb', 'paul2021parlerc', 'paul2021parlerd'],
    paul2021parlera: ['paul2021parleraa', 'paul2021parlerab', 'paul2021parlerac'],
    'aws-overview': ['aws-overviewa', 'aws-overviewb', 'aws-overviewc'],
  };
  return copies[key]![['csl-json', 'bibtex', 'ris'].indexOf(format)]!;
}

describe('citation keys and metadata', () => {
  let lib: TestLibrary;
  let sample: SourceSummary;
  beforeAll(async () => {
    lib = await openTestLibrary();
    sample = (await lib.call('sources.list', {}))[0]!;
  });
  afterAll(async () => {
    await lib.dispose();
  });

  it('the sample starts with a key made from what it has: no author, no date, "Parler"', () => {
    expect(sample.citationKey).toBe('anonndparler');
  });

  it('a key Verbatim made follows the metadata', async () => {
    const updated = await lib.call('sources.updateMetadata', {
      id: sample.id,
      csl: { type: 'article-newspaper', title: 'Parler Sues Amazon', author: [{ family: 'Paul', given: 'Kari' }], issued: { 'date-parts': [[2021, 1, 11]] } },
    });
    expect(updated.citationKey).toBe('paul2021parler');
    // Again with the title changed: still Verbatim's key, so it follows again.
    const again = await lib.call('sources.updateMetadata', { id: sample.id, csl: { ...updated.csl, title: 'Amazon Faces Parler Suit' } });
    expect(again.citationKey).toBe('paul2021amazon');
  });

  it('a key the user set stays when the metadata changes', async () => {
    const pinned = await lib.call('sources.updateMetadata', { id: sample.id, csl: (await lib.call('sources.get', { id: sample.id })).csl, citationKey: 'parler-complaint' });
    expect(pinned.citationKey).toBe('parler-complaint');
    const edited = await lib.call('sources.updateMetadata', { id: sample.id, csl: { ...pinned.csl, issued: { 'date-parts': [[2022]] }, title: 'Something Else' } });
    expect(edited.citationKey).toBe('parler-complaint');
  });

  it('a key the user set stays even when it starts like the key Verbatim would make', async () => {
    const pasted = await lib.call('sources.importText', { text: 'Parler Sues Amazon\n\nAnother copy.' });
    const csl: CslItem = { type: 'article-newspaper', title: 'Parler Sues Amazon', author: [{ family: 'Kelly', given: 'Makena' }], issued: { 'date-parts': [[2021]] } };
    const made = await lib.call('sources.updateMetadata', { id: pasted.id, csl });
    expect(made.citationKey).toBe('kelly2021parler');
    const typed = await lib.call('sources.updateMetadata', { id: pasted.id, csl, citationKey: 'kelly2021parlersuit' });
    expect(typed.citationKey).toBe('kelly2021parlersuit');
    const edited = await lib.call('sources.updateMetadata', { id: pasted.id, csl: { ...csl, issued: { 'date-parts': [[2022]] } } });
    expect(edited.citationKey).toBe('kelly2021parlersuit');
  });

  it('a key an imported file gave stays when the metadata changes', async () => {
    const [imported] = (await lib.call('sources.importBibliography', { fileName: 'a.bib', text: '@book{tides-2019, author = {Rivera, Ana}, title = {Tides and Towns}, year = {2019}}' })).created;
    expect(imported!.citationKey).toBe('tides-2019');
    const edited = await lib.call('sources.updateMetadata', { id: imported!.id, csl: { ...imported!.csl, title: 'Tides, Towns and Tempests', issued: { 'date-parts': [[2020]] } } });
    expect(edited.citationKey).toBe('tides-2019');
  });

  it('refuses a key another source has, naming that source, and changes nothing', async () => {
    const other = await harbourSource(lib);
    expect(other.citationKey).toBe('okafor2023harbour');
    const message = await expectError(lib.call('sources.updateMetadata', { id: other.id, csl: other.csl, citationKey: 'parler-complaint' }), 'invalid_arguments');
    expect(message).toContain('Something Else'); // the title of the source that holds "parler-complaint"
    // Keys compare without regard to case.
    await expectError(lib.call('sources.updateMetadata', { id: other.id, csl: other.csl, citationKey: 'Parler-Complaint' }), 'invalid_arguments');
    expect(bySourceKey(await lib.call('sources.list', {})).okafor2023harbour?.id).toBe(other.id);
  });

  it('refuses a key that is not a key', async () => {
    await expectError(lib.call('sources.updateMetadata', { id: sample.id, csl: sample.csl, citationKey: 'two words' }), 'invalid_arguments');
  });

  it('a made key that is taken gets the next letter, and a source keeps its own key when re-saved unchanged', async () => {
    const twin = await harbourSource(lib);
    expect(twin.citationKey).toBe('okafor2023harboura');
    const resaved = await lib.call('sources.updateMetadata', { id: twin.id, csl: twin.csl });
    expect(resaved.citationKey).toBe('okafor2023harboura');
  });
});

describe('quote locators', () => {
  let lib: TestLibrary;
  let source: SourceSummary;
  beforeAll(async () => {
    lib = await openTestLibrary();
    source = await harbourSource(lib);
  });
  afterAll(async () => {
    await lib.dispose();
  });

  it('a new quote is located by its paragraph number', async () => {
    const expected: [string, string][] = [
      ['Harbour Report', '1'],
      ['The council met on Monday.', '2'],
      ['Residents asked about the harbour wall.', '3'],
      ['The mayor answered at length.', '3'],
      ['We will rebuild it by spring', '4'],
      ['Nobody applauded.', '5'],
    ];
    for (const [exact, paragraph] of expected) {
      const quote = await quoteOf(lib, source.id, exact);
      expect([exact, quote.locator, quote.locatorLabel]).toEqual([exact, paragraph, 'paragraph']);
    }
  });

  it('quotes.update sets a page locator; an empty paragraph locator is computed again', async () => {
    const quote = await quoteOf(lib, source.id, 'Nobody applauded.');
    const paged = await lib.call('quotes.update', { id: quote.id, locator: ' 12 ', locatorLabel: 'page' });
    expect([paged.locator, paged.locatorLabel]).toEqual(['12', 'page']);
    // Other fields left out keep their value.
    const noted = await lib.call('quotes.update', { id: quote.id, note: 'check the minutes' });
    expect([noted.locator, noted.locatorLabel, noted.note]).toEqual(['12', 'page', 'check the minutes']);
    const back = await lib.call('quotes.update', { id: quote.id, locator: '', locatorLabel: 'paragraph' });
    expect([back.locator, back.locatorLabel]).toEqual(['5', 'paragraph']);
    // An empty page locator stays empty: there is no page to compute.
    const none = await lib.call('quotes.update', { id: quote.id, locator: '', locatorLabel: 'page' });
    expect([none.locator, none.locatorLabel]).toEqual(['', 'page']);
  });

  it('quotes.cite gives the quote with its citation and locator (APA 7 §8.28: "para.")', async () => {
    const quote = await quoteOf(lib, source.id, 'We will rebuild it by spring');
    const cite = await lib.call('quotes.cite', { id: quote.id });
    expect(cite.text).toBe('“We will rebuild it by spring” (Okafor, 2023, para. 4)');
    expect(cite.html).toContain('We will rebuild it by spring');
    expect(cite.html).toContain('(Okafor, 2023, para. 4)');
    expect(cite.html.startsWith('<blockquote>')).toBe(true);
  });

  it(
    'quotes.cite in a note style puts the note after the quote',
    async () => {
      const quote = await quoteOf(lib, source.id, 'We will rebuild it by spring');
      const cite = await lib.call('quotes.cite', { id: quote.id, styleId: 'chicago-notes-bibliography' });
      expect(cite.text.startsWith('“We will rebuild it by spring”¹\n\n1. ')).toBe(true);
      const note = cite.text.split('\n\n1. ')[1]!;
      // Chicago notes give the name in normal order, then the title, the year and the locator.
      for (const part of ['Ngozi Okafor', 'Harbour Report', '2023', '4']) expect(note, part).toContain(part);
      expect(cite.html).toContain('<sup>1</sup>');
    },
    CHICAGO_TIMEOUT,
  );
});

describe('styles and citations.render', () => {
  let lib: TestLibrary;
  let okafor: SourceSummary;
  let rivera: SourceSummary;
  let spring: string;
  let wall: string;
  beforeAll(async () => {
    lib = await openTestLibrary();
    okafor = await harbourSource(lib);
    rivera = await harbourSource(lib, RIVERA);
    spring = (await quoteOf(lib, okafor.id, 'We will rebuild it by spring')).id;
    wall = (await quoteOf(lib, rivera.id, 'Residents asked about the harbour wall.')).id;
  });
  afterAll(async () => {
    await lib.dispose();
  });

  const TITLE_ONLY = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">',
    '  <info>',
    '    <title>Titles in Brackets</title>',
    '    <id>http://example.org/styles/titles-in-brackets</id>',
    '    <updated>2024-01-01T00:00:00+00:00</updated>',
    '  </info>',
    '  <citation>',
    '    <layout prefix="[" suffix="]">',
    '      <text variable="title"/>',
    '    </layout>',
    '  </citation>',
    '</style>',
  ].join('\n');

  it('a valid style is added, listed and used', async () => {
    const added = await lib.call('styles.add', { fileName: 'C:\\Users\\me\\titles.csl', xml: TITLE_ONLY });
    expect(added).toMatchObject({ title: 'Titles in Brackets', class: 'in-text', hasBibliography: false, defaultLocale: null, builtIn: false });
    const list = await lib.call('styles.list', {});
    expect(list.filter((s) => s.builtIn).map((s) => s.id)).toEqual(['apa', 'chicago-author-date', 'chicago-notes-bibliography', 'modern-language-association', 'bluebook-law-review', 'oscola']);
    expect(list.at(-1)).toEqual(added);
    const out = await lib.call('citations.render', { styleId: added.id, cites: [{ sourceId: okafor.id, quoteId: spring }, { sourceId: rivera.id }] });
    expect(out.citations.map((c) => [c.text, c.noteNumber])).toEqual([
      ['[Harbour Report]', null],
      ['[Tides and Towns]', null],
    ]);
    expect(out.bibliography).toEqual([]);
    expect(out.bibliographyHeading).toBeNull();
    // A memo can use it, and removing it sends the memo back to APA.
    const memo = await lib.call('memos.create', { title: 'Uses the added style' });
    expect((await lib.call('memos.updateSettings', { id: memo.id, citationStyle: added.id })).citationStyle).toBe(added.id);
    expect(await lib.call('styles.remove', { id: added.id })).toEqual({ removed: true });
    expect((await lib.call('memos.get', { id: memo.id })).settings.citationStyle).toBe('apa');
    expect((await lib.call('styles.list', {})).some((s) => s.id === added.id)).toBe(false);
    expect(await lib.call('styles.remove', { id: added.id })).toEqual({ removed: false });
  });

  it('refuses a dependent style and an HTML page as styles, saying why', async () => {
    const dependent = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="en-US">',
      '  <info>',
      '    <title>Journal of Harbour Studies</title>',
      '    <id>http://example.org/styles/journal-of-harbour-studies</id>',
      '    <link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>',
      '    <updated>2024-01-01T00:00:00+00:00</updated>',
      '  </info>',
      '</style>',
    ].join('\n');
    const html = '<!DOCTYPE html>\n<html><head><title>My styles</title></head><body><p>Not a style.</p></body></html>';
    const before = await lib.call('styles.list', {});

    const dependentMessage = await expectError(lib.call('styles.add', { fileName: 'jhs.csl', xml: dependent }), 'invalid_style');
    expect(dependentMessage).toMatch(/^invalid_style: jhs\.csl: /);
    expect(dependentMessage).toMatch(/dependent style/);
    expect(dependentMessage).toContain('http://www.zotero.org/styles/apa');
    const htmlMessage = await expectError(lib.call('styles.add', { fileName: 'page.html', xml: html }), 'invalid_style');
    expect(htmlMessage).toMatch(/not a CSL style/);

    expect(await lib.call('styles.list', {})).toEqual(before);
  });

  it('refuses a style that is not well-formed XML, and keeps none of it', async () => {
    const before = await lib.call('styles.list', {});
    const broken = TITLE_ONLY.replace('<text variable="title"/>', '<text variable="title">');
    try {
      const message = await expectError(lib.call('styles.add', { fileName: 'broken.csl', xml: broken }), 'invalid_style');
      expect(message).toMatch(/^invalid_style: broken\.csl: .*XML/);
    } finally {
      // Whatever happened, leave the library as it was for the other tests.
      for (const style of await lib.call('styles.list', {})) if (!before.some((b) => b.id === style.id)) await lib.call('styles.remove', { id: style.id });
    }
  });

  it('refuses a style whose citation has no layout, or that calls a macro it does not define, saying so', async () => {
    const noLayout = TITLE_ONLY.replace(/<layout[^>]*>[\s\S]*<\/layout>/, '');
    expect(await expectError(lib.call('styles.add', { fileName: 'nolayout.csl', xml: noLayout }), 'invalid_style')).toContain('nolayout.csl: The style’s <citation> has no <layout>');
    const missingMacro = TITLE_ONLY.replace('<text variable="title"/>', '<text macro="nope"/>');
    expect(await expectError(lib.call('styles.add', { fileName: 'macro.csl', xml: missingMacro }), 'invalid_style')).toContain('macro.csl: The style calls the macro “nope”, which it does not define.');
  });

  it('refuses to remove a built-in style', async () => {
    await expectError(lib.call('styles.remove', { id: 'apa' }), 'invalid_arguments');
    await expectError(lib.call('styles.remove', { id: 'chicago-notes-bibliography' }), 'invalid_arguments');
    expect((await lib.call('styles.list', {})).some((s) => s.id === 'apa')).toBe(true);
  });

  it('memos.updateSettings refuses a style that is not installed and keeps the settings', async () => {
    const memo = await lib.call('memos.create', { title: 'Settings' });
    await expectError(lib.call('memos.updateSettings', { id: memo.id, citationStyle: 'no-such-style' }), 'not_found');
    expect((await lib.call('memos.get', { id: memo.id })).settings).toEqual({ citationStyle: 'apa', locale: '', notePlacement: 'footnotes' });
    await expectError(lib.call('memos.updateSettings', { id: 'no-such-memo', notePlacement: 'endnotes' }), 'not_found');
  });

  it('APA: in-text citations without note numbers, under "References"', async () => {
    const out = await lib.call('citations.render', { styleId: 'apa', cites: [{ sourceId: okafor.id, quoteId: spring }, { sourceId: rivera.id, quoteId: wall }, { sourceId: rivera.id, locator: '7', label: 'page' }] });
    expect(out.style).toMatchObject({ id: 'apa', class: 'in-text', builtIn: true });
    expect(out.bibliographyHeading).toBe('References');
    expect(out.citations.map((c) => [c.text, c.noteNumber])).toEqual([
      ['(Okafor, 2023, para. 4)', null],
      ['(Rivera, 2019, para. 3)', null],
      ['(Rivera, 2019, p. 7)', null],
    ]);
    // APA 7 §9.44: entries in alphabetical order of the first author's surname, each work once.
    expect(out.bibliography.map((b) => b.text.slice(0, 'Okafor, N. (2023).'.length))).toEqual(['Okafor, N. (2023).', 'Rivera, A. (2019).']);
  });

  it('APA in German: "Literaturverzeichnis" and "Abs."', async () => {
    const out = await lib.call('citations.render', { styleId: 'apa', locale: 'de-DE', cites: [{ sourceId: okafor.id, quoteId: spring }] });
    expect(out.bibliographyHeading).toBe('Literaturverzeichnis');
    expect(out.citations[0]!.text).toBe('(Okafor, 2023, Abs. 4)');
  });

  it(
    'Chicago notes: one numbered note per cite in document order, under "Bibliography"',
    async () => {
      const out = await lib.call('citations.render', {
        styleId: 'chicago-notes-bibliography',
        cites: [{ sourceId: okafor.id, quoteId: spring }, { sourceId: okafor.id, quoteId: spring }, { sourceId: rivera.id, quoteId: wall }, { sourceId: 'deleted-source' }],
      });
      expect(out.style).toMatchObject({ class: 'note', hasBibliography: true });
      expect(out.bibliographyHeading).toBe('Bibliography');
      // A missing source takes no note number.
      expect(out.citations.map((c) => c.noteNumber)).toEqual([1, 2, 3, null]);
      expect(out.citations[3]!.text).toBe('[source missing]');
      const [first, second, third] = out.citations;
      expect(first!.text).toContain('Ngozi Okafor');
      // A second note for the same work is shorter than the first (ibid. or a short note, CMOS 13.29–13.37).
      expect(second!.text.length).toBeLessThan(first!.text.length);
      expect(third!.text).toContain('Ana Rivera');
      // The bibliography inverts the first name (CMOS 13.69) and lists each work once.
      expect(out.bibliography.map((b) => b.text.split('.')[0])).toEqual(['Okafor, Ngozi', 'Rivera, Ana']);
    },
    CHICAGO_TIMEOUT,
  );

  it('an unknown style is not_found', async () => {
    await expectError(lib.call('citations.render', { styleId: 'no-such-style', cites: [{ sourceId: okafor.id }] }), 'not_found');
  });
});

describe('memos.exportPdf with a note style', () => {
  let lib: TestLibrary;
  let memoId: string;
  beforeAll(async () => {
    lib = await openTestLibrary();
    const okafor = await harbourSource(lib);
    const rivera = await harbourSource(lib, RIVERA);
    const spring = await quoteOf(lib, okafor.id, 'We will rebuild it by spring');
    const wall = await quoteOf(lib, rivera.id, 'Residents asked about the harbour wall.');
    const memo = await lib.call('memos.create', { title: 'Harbour notes' });
    memoId = memo.id;
    const content = {
      root: {
        type: 'root' as const,
        children: [
          { type: 'paragraph', children: [{ type: 'text', text: 'What the mayor promised.', format: 0 }] },
          { type: 'linked-quote', version: 1, quoteId: spring.id, sourceId: okafor.id, snapshot: spring.textQuote.exact },
          { type: 'linked-quote', version: 1, quoteId: wall.id, sourceId: rivera.id, snapshot: wall.textQuote.exact },
        ],
      },
    };
    await lib.call('memos.save', { id: memo.id, title: memo.title, content, baseRevision: 0 });
  });
  afterAll(async () => {
    await lib.dispose();
  });

  it(
    'endnotes: note marks in the text and a Notes section before the Bibliography',
    async () => {
      const settings = await lib.call('memos.updateSettings', { id: memoId, citationStyle: 'chicago-notes-bibliography', notePlacement: 'endnotes' });
      expect(settings).toEqual({ citationStyle: 'chicago-notes-bibliography', locale: '', notePlacement: 'endnotes' });
      await lib.call('memos.exportPdf', { id: memoId });
      const html = lib.printed.at(-1)!;
      expect(html).toContain('We will rebuild it by spring<sup class="note-ref">1</sup>');
      expect(html).toContain('Residents asked about the harbour wall.<sup class="note-ref">2</sup>');
      expect(html).toContain('<section class="notes"><h2>Notes</h2>');
      expect(html).toMatch(/<li value="1">[^<]*Ngozi Okafor/);
      expect(html).toMatch(/<li value="2">[^<]*Ana Rivera/);
      expect(html.indexOf('<h2>Notes</h2>')).toBeLessThan(html.indexOf('<h2>Bibliography</h2>'));
      // Endnotes need no layout script.
      expect(html).not.toContain('<script');
      expect(html).not.toContain('script-src');
    },
    CHICAGO_TIMEOUT,
  );

  it(
    'footnotes: each note is a footnote span, laid out by Paged.js allowed by hash in the CSP',
    async () => {
      await lib.call('memos.updateSettings', { id: memoId, notePlacement: 'footnotes' });
      await lib.call('memos.exportPdf', { id: memoId });
      const html = lib.printed.at(-1)!;
      expect(html).toMatch(/We will rebuild it by spring<span class="footnote"><span class="footnote-number">1\.<\/span> [^<]*Ngozi Okafor/);
      expect(html).toMatch(/Residents asked about the harbour wall\.<span class="footnote"><span class="footnote-number">2\.<\/span> [^<]*Ana Rivera/);
      expect(html).not.toContain('<h2>Notes</h2>');
      const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');
      const pagedJs = readFileSync(path.resolve(__dirname, '..', '..', 'node_modules', 'pagedjs', 'dist', 'paged.polyfill.min.js'), 'utf8');
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
      expect(csp).toContain(`script-src 'sha256-${sha256(pagedJs)}' 'sha256-${sha256(PAGED_CONFIG_SCRIPT)}';`);
      expect(csp).toContain("default-src 'none'");
      expect(html).toContain(`<script>${PAGED_CONFIG_SCRIPT}</script>`);
    },
    CHICAGO_TIMEOUT,
  );

  it('an in-text style prints citations after the quotes and no notes', async () => {
    await lib.call('memos.updateSettings', { id: memoId, citationStyle: 'apa' });
    await lib.call('memos.exportPdf', { id: memoId });
    const html = lib.printed.at(-1)!;
    expect(html).toContain('We will rebuild it by spring <span class="citation">(Okafor, 2023, para. 4)</span>');
    expect(html).toContain('Residents asked about the harbour wall. <span class="citation">(Rivera, 2019, para. 3)</span>');
    expect(html).toContain('<h2>References</h2>');
    expect(html).not.toContain('footnote');
    expect(html).not.toContain('<h2>Notes</h2>');
  });
});

describe('migration 2 (citations) on a schema-1 library', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-migrate-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('backfills unique citation keys, paragraph locators and memo settings', async () => {
    const db = await Database.open(path.join(dir, 'library.sqlite'));
    try {
      expect(await migrate(db, [MIGRATIONS[0]!])).toEqual([1]);
      expect(await schemaVersion(db)).toBe(1);
      const insertSource = (id: string, csl: object, text: string, createdAt: string) =>
        db.run('INSERT INTO sources (id, csl, text, text_length, html, content_hash, origin, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)', [
          id,
          JSON.stringify(csl),
          text,
          text.length,
          'hash',
          JSON.stringify({ kind: 'paste', fileName: null, mediaType: 'text/plain', byteLength: text.length }),
          createdAt,
          createdAt,
        ]);
      // Two sources with the same author, year and title word (the older is made first), and one with nothing.
      await insertSource('s-old', OKAFOR, HARBOUR, '2024-01-01T00:00:00.000Z');
      await insertSource('s-new', { ...OKAFOR, title: 'Harbour Report, Second Edition' }, HARBOUR, '2024-02-01T00:00:00.000Z');
      await insertSource('s-bare', { type: 'document' }, 'Just one line.', '2024-03-01T00:00:00.000Z');
      const exact = 'Nobody applauded.';
      const start = HARBOUR.indexOf(exact);
      await db.run('INSERT INTO quotes (id, source_id, exact, prefix, suffix, pos_start, pos_end, speaker, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        'q1',
        's-new',
        exact,
        HARBOUR.slice(start - 10, start),
        '',
        start,
        start + exact.length,
        '',
        '',
        '2024-02-02T00:00:00.000Z',
        '2024-02-02T00:00:00.000Z',
      ]);
      await db.run("INSERT INTO memos (id, title, content, revision, created_at, updated_at) VALUES ('m1', 'Old memo', '{\"root\":{\"type\":\"root\",\"children\":[]}}', 3, '2024-01-01', '2024-01-01')");

      expect(await migrate(db, MIGRATIONS.slice(0, 2))).toEqual([2]);
      expect(await schemaVersion(db)).toBe(2);

      const keys = await db.all<{ id: string; citation_key: string }>('SELECT id, citation_key FROM sources ORDER BY created_at');
      expect(keys).toEqual([
        { id: 's-old', citation_key: 'okafor2023harbour' },
        { id: 's-new', citation_key: 'okafor2023harboura' },
        { id: 's-bare', citation_key: 'anonnd' },
      ]);
      // "Nobody applauded." opens the fifth paragraph of the harbour text.
      expect(await db.get('SELECT locator, locator_label FROM quotes WHERE id = ?', ['q1'])).toEqual({ locator: '5', locator_label: 'paragraph' });
      expect(await db.get('SELECT citation_style, locale, note_placement, revision FROM memos WHERE id = ?', ['m1'])).toEqual({ citation_style: 'apa', locale: '', note_placement: 'footnotes', revision: 3 });

      // Migration 3 marks the computed paragraph locator as computed (it follows the quote when the text changes).
      await db.run("INSERT INTO quotes (id, source_id, exact, prefix, suffix, pos_start, pos_end, speaker, note, created_at, updated_at, locator, locator_label) VALUES ('q2', 's-new', 'Nobody', '', '', ?, ?, '', '', 'x', 'x', '12', 'paragraph')", [start, start + 6]);
      expect(await migrate(db)).toEqual([3, 4, 5]);
      expect(await schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(await db.all('SELECT id, locator_auto, anchor_status FROM quotes ORDER BY id')).toEqual([
        { id: 'q1', locator_auto: 1, anchor_status: 'anchored' },
        { id: 'q2', locator_auto: 0, anchor_status: 'anchored' }, // "12" was typed: not the computed 5
      ]);
      await db.run("DELETE FROM quotes WHERE id = 'q2'");
      // The full-text index was rebuilt over the normalized text: the old quote is found.
      expect((await new LibraryStore(db).listQuotes({ query: 'applauded' })).map((q) => q.id)).toEqual(['q1']);
      expect(await db.get("SELECT integrity_check FROM pragma_integrity_check")).toEqual({ integrity_check: 'ok' });
      await db.run("INSERT INTO quotes_fts(quotes_fts) VALUES ('integrity-check')");

      // The store reads the migrated rows, and keys stay unique from here on.
      const store = new LibraryStore(db);
      const [quote] = await store.listQuotes({ sourceId: 's-new' });
      expect([quote!.locator, quote!.locatorLabel, quote!.textQuote.exact]).toEqual(['5', 'paragraph', exact]);
      const third = await store.insertSource({ csl: OKAFOR, text: HARBOUR, html: null, origin: { kind: 'paste', fileName: null, mediaType: 'text/plain', byteLength: 1 } });
      expect(third.citationKey).toBe('okafor2023harbourb');
      await expect(db.run("UPDATE sources SET citation_key = 'OKAFOR2023HARBOUR' WHERE id = 's-bare'")).rejects.toThrow(/UNIQUE/);
    } finally {
      await db.close();
    }
  });
});

describe('importing the same bibliography twice', () => {
  it('imports again (nothing is lost) and warns on the entry’s line which source it repeats', async () => {
    const lib = await openTestLibrary();
    try {
      const bib = '% my file\n@book{rivera2019tides,\n  author = {Rivera, Ana},\n  title = {Tides and Towns},\n  year = {2019},\n}\n';
      const first = await lib.call('sources.importBibliography', { fileName: 'a.bib', text: bib });
      expect(first.problems).toEqual([]);
      const second = await lib.call('sources.importBibliography', { fileName: 'a.bib', text: bib });
      expect(second.created).toHaveLength(1);
      expect(second.created[0]!.citationKey).toBe('rivera2019tidesa');
      expect(second.problems).toEqual([{ line: 2, kind: 'warning', message: 'Already in the library as “Tides and Towns” (@rivera2019tides); imported again, delete one of them if it is the same work.' }]);
    } finally {
      await lib.dispose();
    }
  });
});

describe('citation keys outside ASCII', () => {
  it('tells apart keys by case the way JavaScript folds it ("Ölund" and "ÖLUND" are one key)', async () => {
    const lib = await openTestLibrary();
    try {
      const out = await lib.call('sources.importBibliography', { fileName: 'u.bib', text: '@book{Ölund2020, title = {A}, author = {A, B}, year = 2000}\n@book{ÖLUND2020, title = {B}, author = {A, B}, year = 2000}\n@book{Ärger, title = {C}, year = 2001}\n@book{ärger, title = {D}, year = 2001}\n' });
      expect(out.created.map((s) => s.citationKey)).toEqual(['Ölund2020', 'ÖLUND2020a', 'Ärger', 'ärgera']);
      const [, second] = out.created;
      const refused = await lib.services.dispatch('sources.updateMetadata', { id: second!.id, csl: second!.csl, citationKey: 'ölund2020' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_arguments', message: 'The citation key “ölund2020” is already used by “A”.' } });
    } finally {
      await lib.dispose();
    }
  });
});

describe('styles that would stall the host', () => {
  it('refuses entity declarations, absurd nesting and absurd size quickly, with a reason', async () => {
    const { checkStyleXml, MAX_STYLE_DEPTH } = await import('./citationService');
    const head = '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><title>T</title></info><citation><layout>';
    const tail = '</layout></citation></style>';
    expect(() => checkStyleXml(`<?xml version="1.0"?><!DOCTYPE style [<!ENTITY a "aaaa">]>${head}<text value="&a;"/>${tail}`)).toThrow(/declares one/);
    expect(() => checkStyleXml(`${head}${'<group>'.repeat(MAX_STYLE_DEPTH + 5)}${'</group>'.repeat(MAX_STYLE_DEPTH + 5)}${tail}`)).toThrow(`The style nests elements more than ${MAX_STYLE_DEPTH} deep.`);
    expect(() => checkStyleXml(`${head}${'<text value="v"/>'.repeat(40_000)}${tail}`)).toThrow(/more than 30,000 elements/);
  });
});
