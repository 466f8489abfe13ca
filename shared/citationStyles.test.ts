/**
 * Verbatim's citations against citeproc-js used directly, for every shipped style, plus
 * the position rules that only hold when a memo's cites go through one engine in order.
 *
 * The reference output is computed here, independently of `CitationRenderer`: a fresh
 * citeproc-js engine per style fed one citation at a time with `processCitationCluster`
 * (the incremental API word processors use), not `rebuildProcessorState`, and without
 * Verbatim's item fingerprinting.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import CSL, { type Citation } from 'citeproc';
import { describe, expect, it } from 'vitest';
import { CitationRenderer, readStyleInfo, StyleError, type CiteInput } from './citations';
import type { CslItem } from './model';

const CSL_DIR = path.join(__dirname, '..', 'electron', 'resources', 'csl');
const style = (id: string) => readFileSync(path.join(CSL_DIR, `${id}.csl`), 'utf8');
const locale = (lang: string): string | null => {
  try {
    return readFileSync(path.join(CSL_DIR, `locales-${lang}.xml`), 'utf8');
  } catch {
    return null;
  }
};

/** A fixture library: a newspaper article, an institution, a particle, three authors, two same-author same-year works. */
const LIBRARY: Record<string, CslItem> = {
  paul: { type: 'article-newspaper', title: 'Parler sues Amazon', author: [{ family: 'Paul', given: 'Kari' }], 'container-title': 'The Guardian', issued: { 'date-parts': [[2021, 1, 11]] }, URL: 'https://example.com/parler' },
  aws: { type: 'report', title: 'Acceptable use policy', author: [{ literal: 'Amazon Web Services' }], publisher: 'Amazon', issued: { 'date-parts': [[2020, 7]] } },
  beethoven: { type: 'article-journal', title: 'On particles', author: [{ family: 'Beethoven', given: 'Ludwig', 'non-dropping-particle': 'van' }], 'container-title': 'Journal of Names', volume: '3', issue: '2', page: '10-20', issued: { 'date-parts': [[2019]] }, DOI: '10.1000/names.3' },
  three: { type: 'book', title: 'Platform law', author: [{ family: 'Ng', given: 'Ana' }, { family: 'Ortiz', given: 'Ben' }, { family: 'Quist', given: 'Cy' }], publisher: 'Example Press', issued: { 'date-parts': [[2022]] } },
  doeA: { type: 'article-magazine', title: 'Alpha', author: [{ family: 'Doe', given: 'Jane' }], 'container-title': 'Weekly', issued: { 'date-parts': [[2021]] } },
  doeB: { type: 'article-magazine', title: 'Beta', author: [{ family: 'Doe', given: 'Jane' }], 'container-title': 'Weekly', issued: { 'date-parts': [[2021]] } },
};
const CITES: CiteInput[] = [
  { itemId: 'paul', locator: '4', label: 'paragraph' },
  { itemId: 'paul', locator: '5', label: 'paragraph' },
  { itemId: 'aws', prefix: 'see', suffix: 'emphasis added' },
  { itemId: 'beethoven', locator: '12', label: 'page' },
  { itemId: 'three' },
  { itemId: 'doeA' },
  { itemId: 'doeB' },
  { itemId: 'paul' },
];

/** citeproc-js on its own: one engine, citations added one by one, then the bibliography. */
function reference(styleXml: string, cites: CiteInput[], lang?: string): { citations: string[]; bibliography: string[] } {
  const sys = { retrieveLocale: (l: string) => locale(l) ?? locale('en-US'), retrieveItem: (id: string) => ({ ...LIBRARY[id]!, id }) };
  const engine = lang ? new CSL.Engine(sys, styleXml, lang, true) : new CSL.Engine(sys, styleXml);
  engine.setOutputFormat('text');
  const note = readStyleInfo(styleXml).class === 'note';
  const out = new Map<string, string>();
  const pre: Array<[string, number]> = [];
  cites.forEach((c, i) => {
    const citation: Citation = {
      citationID: `ref${i}`,
      citationItems: [{ id: c.itemId, ...(c.locator ? { locator: c.locator, label: c.label ?? 'page' } : {}), ...(c.prefix ? { prefix: `${c.prefix} ` } : {}), ...(c.suffix ? { suffix: `, ${c.suffix}` } : {}) }],
      properties: { noteIndex: note ? i + 1 : 0 },
    };
    const [, updates] = (engine as unknown as { processCitationCluster(c: Citation, pre: Array<[string, number]>, post: unknown[]): [unknown, Array<[number, string, string]>] }).processCitationCluster(citation, pre, []);
    for (const [index, text] of updates) out.set(index === i ? citation.citationID : `ref${index}`, text);
    pre.push([citation.citationID, note ? i + 1 : 0]);
  });
  const bib = engine.makeBibliography();
  // Verbatim's one rule on top of citeproc-js: a note that opens with the user's prefix starts with a capital.
  const sentence = (text: string, i: number) => (note && cites[i]!.prefix ? text.charAt(0).toUpperCase() + text.slice(1) : text);
  return { citations: cites.map((_, i) => sentence(out.get(`ref${i}`) ?? '', i)), bibliography: bib ? bib[1].map((e) => e.trim()) : [] };
}

const items = new Map(Object.entries(LIBRARY));

/** Renderers are costly to build (a second or two each), so each style and locale gets one for the whole file. */
const renderers = new Map<string, CitationRenderer>();
function renderer(id: string, lang?: string): CitationRenderer {
  const key = `${id}|${lang ?? ''}`;
  if (!renderers.has(key)) renderers.set(key, new CitationRenderer(style(id), locale, lang));
  return renderers.get(key)!;
}
const STYLES = ['apa', 'chicago-author-date', 'chicago-notes-bibliography', 'modern-language-association', 'bluebook-law-review', 'oscola'];

describe('every shipped style renders as citeproc-js does on its own', () => {
  for (const id of STYLES) {
    it(id, { timeout: 30_000 }, () => {
      const xml = style(id);
      const ours = renderer(id).render(items, CITES);
      const theirs = reference(xml, CITES);
      expect(ours.citations.map((c) => c.text)).toEqual(theirs.citations);
      expect(ours.bibliography.map((b) => b.text)).toEqual(theirs.bibliography);
      const note = readStyleInfo(xml).class === 'note';
      expect(ours.citations.map((c) => c.noteNumber)).toEqual(CITES.map((_, i) => (note ? i + 1 : null)));
    });
  }

  it('in German and French locales too (Chicago notes)', { timeout: 30_000 }, () => {
    const xml = style('chicago-notes-bibliography');
    for (const lang of ['de-DE', 'fr-FR']) {
      const ours = renderer('chicago-notes-bibliography', lang).render(items, CITES);
      expect(ours.citations.map((c) => c.text)).toEqual(reference(xml, CITES, lang).citations);
    }
  });
});

// Expected strings below are written from the style guides, not from citeproc-js output.
describe('position rules hold because a memo is one engine pass in document order', () => {
  it('OSCOLA writes "ibid" for a note that cites the same source as the one before (OSCOLA 4th ed. §1.3)', () => {
    const out = renderer('oscola').render(items, [{ itemId: 'paul', locator: '4', label: 'paragraph' }, { itemId: 'paul', locator: '5', label: 'paragraph' }, { itemId: 'aws' }, { itemId: 'paul' }]);
    expect(out.citations[1]!.text).toBe('ibid 5.');
    // A later cite after another source is a short cross-reference to the first note: "Paul (n 1)".
    expect(out.citations[3]!.text).toBe('Paul (n 1).');
  });

  it('Bluebook writes "Id." for the immediately preceding authority (Bluebook R. 4.1)', () => {
    const out = renderer('bluebook-law-review').render(items, [{ itemId: 'beethoven', locator: '12' }, { itemId: 'beethoven', locator: '14' }]);
    expect(out.citations[1]!.text).toBe('Id. at 14.');
  });

  it('Chicago notes shorten a subsequent note to author and short title (CMOS 18 §13.32)', () => {
    const out = renderer('chicago-notes-bibliography').render(items, [{ itemId: 'paul', locator: '4', label: 'paragraph' }, { itemId: 'aws' }, { itemId: 'paul', locator: '9', label: 'paragraph' }]);
    expect(out.citations[0]!.text).toBe('Kari Paul, “Parler Sues Amazon,” The Guardian, January 11, 2021, para. 4, https://example.com/parler.');
    expect(out.citations[2]!.text).toBe('Paul, “Parler Sues Amazon,” para. 9.');
  });

  it('APA tells apart same-author same-year works with a and b, and uses "et al." for three or more authors (APA 7 §8.17, §8.19)', () => {
    const out = renderer('apa').render(items, [{ itemId: 'doeA' }, { itemId: 'doeB' }, { itemId: 'three' }]);
    expect(out.citations.map((c) => c.text)).toEqual(['(Doe, 2021a)', '(Doe, 2021b)', '(Ng et al., 2022)']);
  });

  it('Chicago author-date adds initials to tell apart authors who share a family name (CMOS 18 §13.116)', () => {
    const two = new Map<string, CslItem>([
      ['j', { type: 'book', title: 'One', author: [{ family: 'Doe', given: 'Jane' }], issued: { 'date-parts': [[2020]] } }],
      ['m', { type: 'book', title: 'Two', author: [{ family: 'Doe', given: 'Mark' }], issued: { 'date-parts': [[2020]] } }],
    ]);
    const out = renderer('chicago-author-date').render(two, [{ itemId: 'j' }, { itemId: 'm' }]);
    expect(out.citations.map((c) => c.text)).toEqual(['(J. Doe 2020)', '(M. Doe 2020)']);
  });

  it('keeps name particles and institutional names as the style wants them', () => {
    const apa = renderer('apa').render(items, [{ itemId: 'beethoven' }, { itemId: 'aws' }]);
    expect(apa.citations.map((c) => c.text)).toEqual(['(van Beethoven, 2019)', '(Amazon Web Services, 2020)']);
    // Chicago sorts and inverts "Beethoven, Ludwig van" (CMOS 18 §8.5); an institution is never inverted.
    const chicago = renderer('chicago-notes-bibliography').render(items, [{ itemId: 'beethoven' }, { itemId: 'aws' }]);
    expect(chicago.bibliography.map((b) => b.text)).toEqual(['Amazon Web Services. Acceptable Use Policy. Amazon, 2020.', 'Beethoven, Ludwig van. “On Particles.” Journal of Names 3, no. 2 (2019): 10–20. https://doi.org/10.1000/names.3.']);
  });

  it('prints the locator per style and locale: para. in APA, Abs. in German', () => {
    const cite = [{ itemId: 'paul', locator: '7', label: 'paragraph' }];
    expect(renderer('apa').render(items, cite).citations[0]!.text).toBe('(Paul, 2021, para. 7)');
    expect(renderer('apa', 'de-DE').render(items, cite).citations[0]!.text).toBe('(Paul, 2021, Abs. 7)');
  });
});

describe('what Verbatim adds to citeproc-js', () => {
  it('omits the author when the sentence names them (CSL suppress-author): APA 7 §8.11 narrative citation', () => {
    const out = renderer('apa').render(items, [{ itemId: 'paul', locator: '4', label: 'paragraph', suppressAuthor: true }]);
    expect(out.citations[0]!.text).toBe('(2021, para. 4)');
  });

  it('starts a note with a capital when it opens with the user’s prefix ("see" → "See"), in-text citations keep it as typed', () => {
    expect(renderer('chicago-notes-bibliography').render(items, [{ itemId: 'aws', prefix: 'see' }]).citations[0]!.text).toMatch(/^See Amazon Web Services, /);
    expect(renderer('apa').render(items, [{ itemId: 'aws', prefix: 'see' }]).citations[0]!.text).toBe('(see Amazon Web Services, 2020)');
  });

  it('keeps small caps and other citeproc-js formatting as classes, with no style attribute left', () => {
    const out = renderer('bluebook-law-review').render(items, [{ itemId: 'paul' }]);
    expect(out.citations[0]!.html).toContain('<span class="csl-small-caps">The Guardian</span>');
    expect(out.citations[0]!.html).not.toContain('style=');
  });
});

describe('readStyleInfo', () => {
  it('reads class, title, bibliography and default locale of the shipped styles', () => {
    expect(readStyleInfo(style('apa'))).toEqual({ title: 'APA Style 7th edition', class: 'in-text', hasBibliography: true, defaultLocale: null });
    expect(readStyleInfo(style('bluebook-law-review'))).toMatchObject({ class: 'note', hasBibliography: false, defaultLocale: 'en-US' });
    expect(readStyleInfo(style('oscola'))).toMatchObject({ class: 'note', defaultLocale: 'en-GB' });
  });

  it('refuses what is not an independent CSL style, saying why', () => {
    expect(() => readStyleInfo('<html><body>no</body></html>')).toThrow(StyleError);
    expect(() => readStyleInfo('<style xmlns="http://example.org/other" class="in-text"><citation/></style>')).toThrow(/CSL namespace/);
    const dependent = '<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><title>Dep</title><link href="http://www.zotero.org/styles/apa" rel="independent-parent"/></info></style>';
    expect(() => readStyleInfo(dependent)).toThrow('This is a dependent style that only points to http://www.zotero.org/styles/apa: add that parent style instead.');
    expect(() => readStyleInfo('<style xmlns="http://purl.org/net/xbiblio/csl" class="footnote"><citation/></style>')).toThrow(/must be "in-text" or "note"/);
  });
});

describe('items that break citeproc-js', () => {
  it('renders titles and names that are Object.prototype properties, and the style keeps working after them', () => {
    const odd = new Map<string, CslItem>([
      ['normal', { type: 'book', title: 'Normal Book', author: [{ family: 'Doe' }], issued: { 'date-parts': [[2020]] } }],
      ['ts', { type: 'book', title: 'toString' }],
      ['proto', { type: 'book', title: '__proto__', author: [{ family: 'toString', given: 'Ann' }] }],
    ]);
    const notes = renderer('chicago-notes-bibliography');
    const out = notes.render(odd, [{ itemId: 'normal' }, { itemId: 'ts' }, { itemId: 'proto' }]);
    // CMOS 18 §13.86 for undated books: "n.d." after the title; words with inner capitals ("toString") keep their case.
    expect(out.citations.map((c) => c.text)).toEqual(['Doe, Normal Book (2020).', 'toString (n.d.).', 'Ann toString, __proto__ (n.d.).']);
    expect(out.citations.every((c) => !c.html.includes('\u2063'))).toBe(true);
    expect(notes.render(odd, [{ itemId: 'normal' }]).citations[0]!.text).toBe('Doe, Normal Book (2020).');
  });
});

describe('several sources in one citation', () => {
  it('groups a cite with the one before: one parenthesis in APA (§8.12, order of the reference list), one note in Chicago', () => {
    const cites = [{ itemId: 'paul', locator: '4', label: 'paragraph' }, { itemId: 'aws', groupWithPrevious: true }, { itemId: 'three' }];
    const apa = renderer('apa').render(items, cites);
    expect(apa.citations.map((c) => c.text)).toEqual(['(Amazon Web Services, 2020; Paul, 2021, para. 4)', '', '(Ng et al., 2022)']);
    const chicago = renderer('chicago-notes-bibliography').render(items, cites);
    expect(chicago.citations.map((c) => c.noteNumber)).toEqual([1, 1, 2]);
    expect(chicago.citations[0]!.text).toBe('Kari Paul, “Parler Sues Amazon,” The Guardian, January 11, 2021, para. 4, https://example.com/parler; Amazon Web Services, Acceptable Use Policy (Amazon, 2020).');
    expect(chicago.citations[1]!.text).toBe('');
  });
});
