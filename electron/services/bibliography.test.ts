/**
 * Reading and writing bibliography files. Every fixture is written here, line by line, so
 * the line numbers a test expects can be counted in the array that builds the file
 * (line n is element n - 1). Expected values come from the input and from what the
 * formats mean (BibTeX: LaTeX accents, "von" parts, @string macros; RIS: "Family, Given",
 * PY year and DA date; CSL-JSON 1.0.2 dates), not from running the code.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/contract';
import type { CslItem, CslName } from '../../shared/model';
import { detectFormat, formatBibliography, parseBibliography, type ParsedBibliography } from './bibliography';

const lines = (...rows: string[]) => rows.join('\n');

/** Expect `fn` to throw ApiError `invalid_bibliography`; returns its message. */
function expectInvalid(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_bibliography');
    return (error as ApiError).message;
  }
  throw new Error('expected invalid_bibliography, nothing was thrown');
}

const cslOf = (parsed: ParsedBibliography) => parsed.entries.map((e) => e.csl);

/** Every string value in a JSON-like value. */
const stringsIn = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(stringsIn) : [];

describe('BibTeX', () => {
  const BIB = lines(
    /*  1 */ '% Written for these tests: LaTeX accents, braces and a macro.',
    /*  2 */ '@string{jit = {Journal of Invented Tectonics}}',
    /*  3 */ '',
    /*  4 */ '@article{brandl2015shadow,',
    /*  5 */ String.raw`  author = {Tobiah Brandl and Lena Gro{\ss}haupt and Henrik R{\"o}stlund and Hrvoje Tkal{\v{c}}i{\'c}},`,
    /*  6 */ '  title = {{A Shadow-Path Method for Unimodular Toy Programs}},',
    /*  7 */ '  journal = jit,',
    /*  8 */ '  pages = {171--183},',
    /*  9 */ '  year = {2015},',
    /* 10 */ '  doi = {https://doi.org/10.0000/DEMO.2015.171},',
    /* 11 */ '}',
    /* 12 */ '',
    /* 13 */ '@techreport{aws2020overview,',
    /* 14 */ '  author = {{Amazon Web Services}},',
    /* 15 */ '  title = {Overview of {Amazon} Web Services},',
    /* 16 */ '  institution = {Amazon},',
    /* 17 */ '  year = 2020,',
    /* 18 */ '  url = {https://example.com/aws-overview.pdf},',
    /* 19 */ '}',
    /* 20 */ '',
    /* 21 */ '@book{muller1999uber,',
    /* 22 */ String.raw`  author = {M{\"u}ller, Jan and van der Berg, Anna},`,
    /* 23 */ String.raw`  title = {{\"U}ber die {Gr\"o{\ss}e} des Hafens},`,
    /* 24 */ '  publisher = {Hafenverlag},',
    /* 25 */ '  year = {1999},',
    /* 26 */ '}',
  );

  it('reads accents, braces, a macro, a page range, a DOI URL and an institution', () => {
    const parsed = parseBibliography('library.bib', BIB);
    expect(parsed.format).toBe('bibtex');
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries.map((e) => e.line)).toEqual([4, 13, 21]);
    const [article, report, book] = cslOf(parsed);

    expect(article).toMatchObject({
      type: 'article-journal',
      'citation-key': 'brandl2015shadow',
      // Doubled braces only protect the case; they are not part of the title.
      title: 'A Shadow-Path Method for Unimodular Toy Programs',
      // The @string macro, expanded.
      'container-title': 'Journal of Invented Tectonics',
      issued: { 'date-parts': [[2015]] },
      // A DOI is the name alone, not a resolver URL (https://www.doi.org/the-identifier/resources/factsheets/doi-resolution-documentation).
      DOI: '10.0000/DEMO.2015.171',
    });
    expect(article!.author).toEqual([
      { family: 'Brandl', given: 'Tobiah' },
      { family: 'Großhaupt', given: 'Lena' },
      { family: 'Röstlund', given: 'Henrik' },
      { family: 'Tkalčić', given: 'Hrvoje' },
    ]);
    // "--" is TeX for an en dash between page numbers: one range, 171 to 183.
    expect(article!.page).toMatch(/^171[-–]183$/);

    expect(report).toMatchObject({ type: 'report', title: 'Overview of Amazon Web Services', publisher: 'Amazon', URL: 'https://example.com/aws-overview.pdf', issued: { 'date-parts': [[2020]] } });
    // A name in braces is one name that BibTeX must not split: an institution, CSL `literal`.
    expect(report!.author).toEqual([{ literal: 'Amazon Web Services' }]);

    expect(book).toMatchObject({ type: 'book', title: 'Über die Größe des Hafens', publisher: 'Hafenverlag' });
    // "van der" before the family name is BibTeX's "von" part: a CSL particle.
    expect(book!.author).toEqual([
      { family: 'Müller', given: 'Jan' },
      { family: 'Berg', given: 'Anna', 'non-dropping-particle': 'van der' },
    ]);
    // No TeX is left in any value.
    expect(stringsIn(cslOf(parsed)).filter((v) => /[\\{}]/.test(v))).toEqual([]);
  });

  it('imports the entries around a broken one and reports the broken one by the line it starts on', () => {
    const mixed = lines(
      /*  1 */ '% Three entries; the second never closes its braces.',
      /*  2 */ '@book{lovelace1843notes,',
      /*  3 */ '  author = {Ada Lovelace},',
      /*  4 */ '  title = {Notes on the Analytical Engine},',
      /*  5 */ '  year = {1843},',
      /*  6 */ '}',
      /*  7 */ '',
      /*  8 */ '@article{babbage1830broken,',
      /*  9 */ '  author = {Charles Babbage,',
      /* 10 */ '  title = {Reflections on the Decline of Science},',
      /* 11 */ '  year = 1830,',
      /* 12 */ '',
      /* 13 */ '@misc{menabrea1842sketch,',
      /* 14 */ '  author = {Luigi Menabrea},',
      /* 15 */ '  title = {Sketch of the Analytical Engine},',
      /* 16 */ '  year = {1842},',
      /* 17 */ '}',
    );
    const parsed = parseBibliography('mixed.bib', mixed);
    expect(parsed.entries.map((e) => [e.line, e.csl.title])).toEqual([
      [2, 'Notes on the Analytical Engine'],
      [13, 'Sketch of the Analytical Engine'],
    ]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ line: 8, kind: 'skipped' });
    // The parser's own position counts from the entry, not the file: it must not be passed on as if it were a file line.
    expect(parsed.problems[0]!.message).not.toMatch(/line \d/);
  });

  it('skips an entry with nothing to cite by (no title, author or container title) and says where', () => {
    const parsed = parseBibliography('x.bib', lines(/* 1 */ '@book{ok, title = {Kept}, year = {2001}}', /* 2 */ '@misc{empty, year = {2002}, note = {only a note}}', /* 3 */ '@misc{ok2, title = {Also kept}}'));
    expect(parsed.entries.map((e) => e.csl.title)).toEqual(['Kept', 'Also kept']);
    expect(parsed.problems).toEqual([expect.objectContaining({ line: 2, kind: 'skipped' })]);
  });
});

describe('RIS', () => {
  const RIS = [
    /*  1 */ 'TY  - JOUR',
    /*  2 */ 'TI  - Reputation under Ambiguity',
    /*  3 */ 'AU  - Petrova, Anja P.',
    /*  4 */ 'AU  - Wadley, Arun',
    /*  5 */ 'PY  - 2013',
    /*  6 */ 'DA  - 2014/04/01',
    /*  7 */ 'T2  - Journal of Invented Management',
    /*  8 */ 'SP  - 422',
    /*  9 */ 'EP  - 448',
    /* 10 */ 'VL  - 57',
    /* 11 */ 'DO  - 10.0000/demo.2011.0651',
    /* 12 */ 'ER  - ',
    /* 13 */ '',
    /* 14 */ 'TY  - NEWS',
    /* 15 */ 'TI  - My Week',
    /* 16 */ 'AU  - Rowan, Eliza',
    /* 17 */ 'T2  - The Lakeside Beacon',
    /* 18 */ 'DA  - 1939/10/30/',
    /* 19 */ 'PY  - 1939',
    /* 20 */ 'UR  - https://news.example/clip/1/my_week/',
    /* 21 */ 'ER  - ',
    /* 22 */ '',
  ].join('\r\n');

  it('reads a file with Windows line endings, two records, and warns where PY and DA disagree', () => {
    const parsed = parseBibliography('export.ris', RIS);
    expect(parsed.format).toBe('ris');
    expect(parsed.entries.map((e) => e.line)).toEqual([1, 14]);
    const [journal, news] = cslOf(parsed);
    // No carriage return is left at the end of a value.
    expect(stringsIn(cslOf(parsed)).filter((v) => v.includes('\r'))).toEqual([]);

    expect(journal).toMatchObject({ type: 'article-journal', title: 'Reputation under Ambiguity', 'container-title': 'Journal of Invented Management', volume: '57', DOI: '10.0000/demo.2011.0651' });
    expect(journal!.author).toEqual([
      { family: 'Petrova', given: 'Anja P.' },
      { family: 'Wadley', given: 'Arun' },
    ]);
    expect(journal!.page).toMatch(/^422[-–]448$/);
    // PY says 2013, DA 2014: one warning, on the record's first line, naming both years.
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ line: 1, kind: 'warning' });
    expect(parsed.problems[0]!.message).toContain('2013');
    expect(parsed.problems[0]!.message).toContain('2014');
    // PY is the publication year (RIS spec); DA's year differs, so the year alone is kept.
    expect(journal!.issued).toEqual({ 'date-parts': [[2013]] });
    expect(parsed.problems[0]!.message).toContain('the publication year (PY) wins: 2013');

    // A newspaper clipping: its AU is the article's author, and DA its full date (PY the same year).
    expect(news).toMatchObject({ type: 'article-newspaper', title: 'My Week', 'container-title': 'The Lakeside Beacon', URL: 'https://news.example/clip/1/my_week/' });
    expect(news!.author).toEqual([{ family: 'Rowan', given: 'Eliza' }]);
    expect(news!.issued).toEqual({ 'date-parts': [[1939, 10, 30]] });
  });

  it('takes a record ID as its citation key, unless it is only a record number', () => {
    const ris = lines(
      /* 1 */ 'TY  - BOOK',
      /* 2 */ 'ID  - okafor-2023',
      /* 3 */ 'TI  - Harbour Report',
      /* 4 */ 'ER  - ',
      /* 5 */ 'TY  - BOOK',
      /* 6 */ 'ID  - 4711',
      /* 7 */ 'TI  - Tides and Towns',
      /* 8 */ 'ER  - ',
    );
    expect(cslOf(parseBibliography('ids.ris', ris)).map((c) => c['citation-key'])).toEqual(['okafor-2023', undefined]);
  });

  it('reports text outside any record and keeps the record around it', () => {
    const parsed = parseBibliography('x.ris', lines(/* 1 */ 'Exported by hand', /* 2 */ 'TY  - BOOK', /* 3 */ 'TI  - A Harbour History', /* 4 */ 'AU  - de la Cruz, Juan', /* 5 */ 'ER  - '));
    expect(parsed.entries.map((e) => e.line)).toEqual([2]);
    expect(parsed.problems).toEqual([expect.objectContaining({ line: 1, kind: 'skipped' })]);
    // RIS writes a particle inside the family name; it is read as the particle it is, as BibTeX's "von" part is.
    expect(parsed.entries[0]!.csl.author).toEqual([{ family: 'Cruz', given: 'Juan', 'non-dropping-particle': 'de la' }]);
  });
});

describe('CSL-JSON', () => {
  const JSON_FILE = lines(
    /*  1 */ '[',
    /*  2 */ '  {',
    /*  3 */ '    "id": "yilmaz2024",',
    /*  4 */ '    "type": "article-journal",',
    /*  5 */ '    "title": "From toy tasks to world models",',
    /*  6 */ '    "author": [{ "family": "Yilmaz", "given": "I." }],',
    /*  7 */ '    "issued": { "raw": "2024 Feb 21" }',
    /*  8 */ '  },',
    /*  9 */ '  {',
    /* 10 */ '    "type": "document",',
    /* 11 */ '    "title": "Meeting agenda",',
    /* 12 */ '    "author": [{ "literal": "Institution XYZ" }],',
    /* 13 */ '    "issued": { "raw": "2020-2-11" }',
    /* 14 */ '  },',
    /* 15 */ '  {',
    /* 16 */ '    "type": "paper-conference",',
    /* 17 */ '    "title": "A three-day meeting",',
    /* 18 */ '    "issued": { "raw": "2000-3-15/2000-3-17" }',
    /* 19 */ '  },',
    /* 20 */ '  {',
    /* 21 */ '    "type": "manuscript",',
    /* 22 */ '    "title": "Undated letter",',
    /* 23 */ '    "issued": { "literal": "before the war" }',
    /* 24 */ '  }',
    /* 25 */ ']',
  );

  it('turns raw dates into date-parts, keeps ranges and literal dates', () => {
    const parsed = parseBibliography('items.json', JSON_FILE);
    expect(parsed.format).toBe('csl-json');
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries.map((e) => e.line)).toEqual([2, 9, 15, 20]);
    expect(cslOf(parsed).map((c) => c.issued)).toEqual([
      { 'date-parts': [[2024, 2, 21]] },
      { 'date-parts': [[2020, 2, 11]] },
      { 'date-parts': [[2000, 3, 15], [2000, 3, 17]] },
      { literal: 'before the war' },
    ]);
    expect(cslOf(parsed)[1]!.author).toEqual([{ literal: 'Institution XYZ' }]);
  });

  it('reports bad elements by their own line, whatever kind of value they are', () => {
    const mixed = lines(
      /*  1 */ '[',
      /*  2 */ '  { "type": "book", "title": "First" },',
      /*  3 */ '  42,',
      /*  4 */ '  {',
      /*  5 */ '    "type": "book",',
      /*  6 */ '    "author": [{ "family": 7 }]',
      /*  7 */ '  },',
      /*  8 */ '  { "type": "book", "title": "Last", "URL": "not a url" }',
      /*  9 */ ']',
    );
    const parsed = parseBibliography('mixed.json', mixed);
    expect(parsed.entries.map((e) => [e.line, e.csl.title])).toEqual([
      [2, 'First'],
      [8, 'Last'],
    ]);
    expect(parsed.entries[1]!.csl.URL).toBeUndefined();
    expect(parsed.problems.map((p) => [p.line, p.kind])).toEqual([
      [3, 'skipped'], // a number is no item
      [4, 'warning'], // the author is not a name…
      [4, 'skipped'], // …and without it nothing is left to cite
      [8, 'warning'], // the URL is left out, the item kept
    ]);
  });
});

describe('files that are not bibliographies', () => {
  it('refuse prose, empty files and entry-less files, and say nothing was imported', () => {
    expectInvalid(() => parseBibliography('notes.txt', 'Dear diary,\nToday I read three articles about harbours.\n'));
    expect(expectInvalid(() => parseBibliography('notes.bib', 'Dear diary, no entries here.'))).toMatch(/Nothing was imported/);
    expectInvalid(() => parseBibliography('notes.ris', 'Dear diary,\nstill no records.\n'));
    for (const name of ['empty.bib', 'empty.ris', 'empty.json', 'empty.txt']) expectInvalid(() => parseBibliography(name, ''));
    expectInvalid(() => parseBibliography('blank.bib', '\n\n   \n'));
    // A file whose only entry cannot be used is no import either.
    expectInvalid(() => parseBibliography('one.bib', '@misc{x, year = {2001}}'));
  });

  it('refuse invalid JSON, naming the line of the syntax error', () => {
    const bad = lines(/* 1 */ '[', /* 2 */ '  { "type": "book", "title": "A" },', /* 3 */ '  { "type": "book" "title": "B" }', /* 4 */ ']');
    expect(expectInvalid(() => parseBibliography('broken.json', bad))).toMatch(/line 3: not valid JSON/);
  });

  it('tells the formats apart by extension first, then by content', () => {
    expect(detectFormat('a.bib', '')).toBe('bibtex');
    expect(detectFormat('a.RIS', '')).toBe('ris');
    expect(detectFormat('a.txt', '\uFEFF  [ {"type": "book"} ]')).toBe('csl-json');
    expect(detectFormat('a.txt', 'TY  - BOOK\nER  - \n')).toBe('ris');
    expect(detectFormat('a.txt', '% comment\n@book{k, title = {T}}')).toBe('bibtex');
    expect(detectFormat('a.txt', 'An email about @mentions.')).toBeNull();
  });
});

describe('round trips', () => {
  const beethoven: CslName = { family: 'Beethoven', given: 'Ludwig', 'non-dropping-particle': 'van' };
  const ITEMS: { csl: CslItem; citationKey: string }[] = [
    {
      citationKey: 'beethoven1802heiligenstadt',
      csl: {
        type: 'book',
        title: 'Heiligenstädter Testament',
        author: [beethoven, { literal: 'Amazon Web Services' }],
        issued: { 'date-parts': [[1802, 10, 6]] },
        URL: 'https://example.org/testament?lang=de&page=1',
        publisher: 'Wiener Verlag',
      },
    },
    {
      citationKey: 'rowan1939week',
      csl: { type: 'article-journal', title: 'My Week', author: [{ family: 'Rowan', given: 'Eliza' }], 'container-title': 'Lakeside Review', issued: { 'date-parts': [[1939, 10, 30]] }, URL: 'https://news.example/clip/1/' },
    },
  ];

  /** What a round trip must keep: title, authors, issued, URL, and the key. */
  const kept = (c: CslItem) => ({ title: c.title, author: c.author, issued: c.issued, URL: c.URL, key: c['citation-key'] });

  it('CSL-JSON → BibTeX → CSL-JSON keeps title, authors (particle and institution too), date, URL and key', () => {
    const out = formatBibliography(ITEMS, 'bibtex');
    expect(out.ext).toBe('bib');
    expect(out.text).toContain('@book{beethoven1802heiligenstadt,');
    const back = cslOf(parseBibliography('back.bib', out.text));
    expect(back.map(kept)).toEqual(ITEMS.map((i) => ({ ...kept(i.csl), key: i.citationKey })));
  });

  it('CSL-JSON → BibLaTeX → CSL-JSON keeps them too', () => {
    const back = cslOf(parseBibliography('back.bib', formatBibliography(ITEMS, 'biblatex').text));
    expect(back.map(kept)).toEqual(ITEMS.map((i) => ({ ...kept(i.csl), key: i.citationKey })));
  });

  it('CSL-JSON → RIS → CSL-JSON keeps them too, the full key as ID', () => {
    const out = formatBibliography(ITEMS, 'ris');
    expect(out.ext).toBe('ris');
    expect(out.text).toContain('ID  - beethoven1802heiligenstadt\n');
    // Every record ends with the RIS end tag, "ER" two spaces, a hyphen and a space.
    expect(out.text.match(/^ER {2}- $/gm)).toHaveLength(2);
    const back = cslOf(parseBibliography('back.ris', out.text));
    expect(back.map(kept)).toEqual(ITEMS.map((i) => ({ ...kept(i.csl), key: i.citationKey })));
  });

  it('keeps a dropping particle ("Vincent van Gogh") as the one particle BibTeX and RIS know', () => {
    const gogh = [{ citationKey: 'gogh1888letters', csl: { type: 'book', title: 'Letters', author: [{ family: 'Gogh', given: 'Vincent', 'dropping-particle': 'van' }], issued: { 'date-parts': [[1888]] } } }];
    for (const format of ['bibtex', 'ris'] as const) {
      const back = cslOf(parseBibliography(`back.${format === 'ris' ? 'ris' : 'bib'}`, formatBibliography(gogh, format).text));
      expect(back[0]!.author, format).toEqual([{ family: 'Gogh', given: 'Vincent', 'non-dropping-particle': 'van' }]);
    }
  });

  it('a newspaper article keeps its author and full date through RIS', () => {
    const news = [{ citationKey: 'paul2021parler', csl: { type: 'article-newspaper', title: 'Parler Sues Amazon', author: [{ family: 'Paul', given: 'Kari' }], 'container-title': 'Example Daily', issued: { 'date-parts': [[2021, 1, 11]] } } }];
    const out = formatBibliography(news, 'ris');
    expect(out.text).toMatch(/^TY {2}- NEWS$/m);
    expect(out.text).toMatch(/^AU {2}- Paul, Kari$/m);
    const back = cslOf(parseBibliography('back.ris', out.text))[0]!;
    expect(back).toMatchObject({ type: 'article-newspaper', author: [{ family: 'Paul', given: 'Kari' }], issued: { 'date-parts': [[2021, 1, 11]] }, 'container-title': 'Example Daily' });
  });

  it('Cyrillic survives BibTeX export: nothing is stripped, and it reads back the same', () => {
    const ukr = [
      {
        citationKey: 'kovalenko1997',
        csl: { type: 'book', title: 'Про що ми пишемо', author: [{ family: 'Коваленко-Мирна', given: 'О. П.' }], issued: { 'date-parts': [[1997]] }, publisher: 'Видавництво Світанок', 'publisher-place': 'Київ' },
      },
    ];
    for (const format of ['bibtex', 'biblatex'] as const) {
      const text = formatBibliography(ukr, format).text;
      for (const word of ['Про що ми пишемо', 'Коваленко-Мирна', 'О. П.', 'Видавництво Світанок', 'Київ']) expect(text, `${format}: ${word}`).toContain(word);
      const back = cslOf(parseBibliography('back.bib', text))[0]!;
      expect(back).toMatchObject({ title: 'Про що ми пишемо', author: [{ family: 'Коваленко-Мирна', given: 'О. П.' }], publisher: 'Видавництво Світанок', 'publisher-place': 'Київ' });
    }
  });

  it('still writes Latin accents as LaTeX in BibTeX, and reads them back', () => {
    const text = formatBibliography([{ citationKey: 'k', csl: { type: 'book', title: 'Größe', author: [{ family: 'Tkalčić', given: 'Hrvoje' }] } }], 'bibtex').text;
    expect(text).not.toMatch(/[^\x00-\x7f]/); // ASCII only
    expect(cslOf(parseBibliography('k.bib', text))[0]).toMatchObject({ title: 'Größe', author: [{ family: 'Tkalčić', given: 'Hrvoje' }] });
  });

  it('writes every key exactly as it is, in every format, even with - : . / in it', () => {
    const keys = ['aws-overview', 'Paul:2021', 'doe.2020/a', 'doe_2020', 'müller2020'];
    const items = keys.map((citationKey) => ({ citationKey, csl: { type: 'book', title: `On ${citationKey}` } }));
    for (const format of ['bibtex', 'biblatex', 'ris', 'csl-json'] as const) {
      const text = formatBibliography(items, format).text;
      const fileName = { bibtex: 'k.bib', biblatex: 'k.bib', ris: 'k.ris', 'csl-json': 'k.json' }[format];
      expect(cslOf(parseBibliography(fileName, text)).map((c) => c['citation-key']), format).toEqual(keys);
    }
    expect(formatBibliography(items, 'bibtex').text).toContain('@book{aws-overview,');
  });

  it('CSL-JSON export carries each key as id and citation-key', () => {
    const out = formatBibliography(ITEMS, 'csl-json');
    expect(out).toMatchObject({ ext: 'json', mediaType: 'application/vnd.citationstyles.csl+json' });
    const data = JSON.parse(out.text) as CslItem[];
    expect(data.map((d) => [d.id, d['citation-key']])).toEqual(ITEMS.map((i) => [i.citationKey, i.citationKey]));
    expect(cslOf(parseBibliography('back.json', out.text)).map(kept)).toEqual(ITEMS.map((i) => ({ ...kept(i.csl), key: i.citationKey })));
  });
});

describe('what other tools write', () => {
  it('keeps a CSL-JSON id as the citation key, and reads LaTeX {\\\'\\i} as í', () => {
    const json = '[{"id": "yilmaz2024a", "type": "book", "title": "Toy tasks", "author": [{"family": "Yilmaz", "given": "I"}]}, {"id": 42, "type": "book", "title": "Numbered"}]';
    const parsed = parseBibliography('x.json', json);
    expect(parsed.entries.map((e) => e.csl['citation-key'])).toEqual(['yilmaz2024a', undefined]);
    const bib = parseBibliography('x.bib', "@article{k, author = {Ligorr{\\'\\i}a, Ana}, title = {T}, year = {2020}}");
    expect(bib.entries[0]!.csl.author).toEqual([{ family: 'Ligorría', given: 'Ana' }]);
  });

  it('takes PY with the full date of Y1 when they agree and DA does not', () => {
    const ris = ['TY  - JOUR', 'TI  - Dates', 'Y1  - 2013/05/28', 'PY  - 2013', 'DA  - 2014/04/01', 'ER  - ', ''].join('\n');
    expect(parseBibliography('d.ris', ris).entries[0]!.csl.issued).toEqual({ 'date-parts': [[2013, 5, 28]] });
  });

  it('writes RIS URLs and titles on one line, and page ranges as SP and EP', () => {
    const url = `https://example.org/${'long-path-segment/'.repeat(6)}end`;
    const out = formatBibliography([{ citationKey: 'k', csl: { type: 'article-journal', title: 'T', URL: url, page: '101-130' } }], 'ris').text;
    expect(out).toContain(`UR  - ${url}\n`);
    expect(out).toContain('SP  - 101\nEP  - 130\n');
    expect(parseBibliography('k.ris', out).entries[0]!.csl.URL).toBe(url);
  });
});

describe('values that would break the files Verbatim writes', () => {
  it('keeps a line break in a value from ending an RIS record early', () => {
    const out = formatBibliography([{ citationKey: 'k', csl: { type: 'book', title: 'RIS\nER  - \nTY  - BOOK\nTI  - Injected', note: 'n1\nER  - \nn2' } }], 'ris').text;
    const back = parseBibliography('k.ris', out);
    expect(back.entries).toHaveLength(1);
    expect(back.entries[0]!.csl.title).toBe('RIS ER - TY - BOOK TI - Injected');
  });

  it('writes literal braces in BibTeX so that the field stays balanced and reads back', () => {
    const out = formatBibliography([{ citationKey: 'acme', csl: { type: 'book', title: 'Braces } and {', author: [{ literal: 'ACME } Corp' }] } }], 'bibtex').text;
    expect(out).toContain('\\textbraceright');
    const back = parseBibliography('acme.bib', out);
    expect(back.entries).toHaveLength(1);
    expect(back.entries[0]!.csl.author).toEqual([{ literal: 'ACME } Corp' }]);
    expect(back.entries[0]!.csl.title).toBe('Braces } and {');
  });

  it('gives each BibTeX entry the @string macros it uses, even through another macro', () => {
    const bib = ['@string{inv = "Invented Law"}', '@string{jil = "Journal of " # inv}', '@string{unused = "Never"}', '@article{a, title = {A}, journal = jil, year = 2020}'].join('\n');
    expect(parseBibliography('m.bib', bib).entries[0]!.csl['container-title']).toBe('Journal of Invented Law');
  });
});

describe('macros the file forgot', () => {
  it('says which field stays empty because its @string is not defined', () => {
    const parsed = parseBibliography('m.bib', '\n@article{a, title = notdefined, journal = {J}, month = jan, year = 2020}\n');
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.problems).toEqual([{ line: 2, kind: 'warning', message: 'Uses the @string “notdefined”, which the file does not define; that field is left empty.' }]);
  });
});
