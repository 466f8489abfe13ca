import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CitationRenderer, styleTitle } from './citations';
import type { CslItem } from './model';

const CSL_DIR = path.join(__dirname, '..', 'electron', 'resources', 'csl');
const APA = readFileSync(path.join(CSL_DIR, 'apa.csl'), 'utf8');
const EN_US = readFileSync(path.join(CSL_DIR, 'locales-en-US.xml'), 'utf8');

let apa: CitationRenderer;
beforeAll(() => {
  apa = new CitationRenderer(APA, (lang) => (lang === 'en-US' ? EN_US : null));
  apa.warm();
});

const items = (entries: Record<string, CslItem>) => new Map(Object.entries(entries));

// Expected strings follow the APA Publication Manual, 7th edition: author-date citations
// (8.10-8.11), "n.d." (9.17), newspaper articles (10.1 example 4), group authors (9.11),
// same author and year told apart by a, b (8.19).
describe('APA 7 with citeproc-js', () => {
  it('renders a newspaper article by a person', () => {
    const out = apa.render(
      items({ a: { type: 'article-newspaper', title: 'Harbour traffic hits a record', author: [{ family: 'Doe', given: 'Jane' }], 'container-title': 'Example Daily', issued: { 'date-parts': [[2021, 1, 11]] }, URL: 'https://example.com/harbour' } }),
      [{ itemId: 'a' }, { itemId: 'a', locator: '4', label: 'paragraph' }],
    );
    expect(out.citations.map((c) => c.text)).toEqual(['(Doe, 2021)', '(Doe, 2021, para. 4)']);
    expect(out.bibliography.map((b) => b.text)).toEqual(['Doe, J. (2021, January 11). Harbour traffic hits a record. Example Daily. https://example.com/harbour']);
    expect(out.bibliography[0]!.html).toContain('<i>Example Daily</i>');
    expect(out.bibliography[0]!.html).toContain('<a href="https://example.com/harbour">');
  });

  it('keeps an institutional author whole and writes n.d. without a date', () => {
    const out = apa.render(items({ g: { type: 'report', title: 'Service terms', author: [{ literal: 'Amazon Web Services' }] } }), [{ itemId: 'g' }]);
    expect(out.citations[0]!.text).toBe('(Amazon Web Services, n.d.)');
    expect(out.bibliography[0]!.text).toBe('Amazon Web Services. (n.d.). Service terms.');
  });

  it('tells apart two works by the same author in the same year, in one engine pass', () => {
    const doe = [{ family: 'Doe', given: 'Jane' }];
    const out = apa.render(
      items({
        x: { type: 'article-newspaper', title: 'Alpha', author: doe, issued: { 'date-parts': [[2021]] } },
        y: { type: 'article-newspaper', title: 'Beta', author: doe, issued: { 'date-parts': [[2021]] } },
      }),
      [{ itemId: 'x' }, { itemId: 'y' }],
    );
    expect(out.citations.map((c) => c.text)).toEqual(['(Doe, 2021a)', '(Doe, 2021b)']);
    expect(out.bibliography).toHaveLength(2);
  });

  it('lists each cited source once in the bibliography', () => {
    const out = apa.render(items({ a: { type: 'webpage', title: 'A page' } }), [{ itemId: 'a' }, { itemId: 'a' }, { itemId: 'a' }]);
    expect(out.citations).toHaveLength(3);
    expect(out.bibliography.map((b) => b.text)).toEqual(['A page. (n.d.).']);
  });

  it('renders an edited item afresh, never from citeproc-js’s item cache', () => {
    const before = apa.render(items({ s: { type: 'webpage', title: 'Old title', issued: { 'date-parts': [[2020]] } } }), [{ itemId: 's' }]);
    const after = apa.render(items({ s: { type: 'webpage', title: 'New title', issued: { 'date-parts': [[2022]] } } }), [{ itemId: 's' }]);
    expect(before.citations[0]!.text).toBe('(Old Title, 2020)');
    expect(after.citations[0]!.text).toBe('(New Title, 2022)');
  });

  it('escapes HTML in item fields', () => {
    const out = apa.render(items({ h: { type: 'webpage', title: '<img src=x onerror=alert(1)>' } }), [{ itemId: 'h' }]);
    expect(out.bibliography[0]!.html).not.toContain('<img');
  });

  it('refuses a cite of an item it was not given', () => {
    expect(() => apa.render(new Map(), [{ itemId: 'nope' }])).toThrow(/not given: nope/);
  });

  it('reads the style title', () => {
    expect(styleTitle(APA)).toBe('APA Style 7th edition');
  });
});
