import { describe, expect, it } from 'vitest';
import type { CslItem } from '../../shared/model';
import { CITATION_UNAVAILABLE, CitationService } from './citationService';
import type { StoredStyle } from './store';
import { RESOURCES_DIR } from './testing';

/** A style store in memory. */
function memoryStyles(): { listStyles(): Promise<StoredStyle[]>; putStyle(s: Omit<StoredStyle, 'createdAt'>): Promise<StoredStyle>; removeStyle(id: string): Promise<boolean> } {
  const styles = new Map<string, StoredStyle>();
  return {
    listStyles: async () => [...styles.values()],
    putStyle: async (s) => {
      const stored = { ...s, createdAt: 'now' };
      styles.set(s.id, stored);
      return stored;
    },
    removeStyle: async (id) => styles.delete(id),
  };
}
const APA = { id: 'apa', locale: '' };
const GAP = { html: '-', text: '-' };

describe('CitationService', () => {
  it('cites an item citeproc-js cannot render as unavailable, renders the rest, and says which failed', async () => {
    const failures: string[][] = [];
    const service = new CitationService(RESOURCES_DIR, memoryStyles(), (ids) => failures.push(ids));
    const items = new Map<string, CslItem>([
      ['good', { type: 'webpage', title: 'Good page', issued: { 'date-parts': [[2020]] } }],
      ['bad', { type: 'book', title: 'Bad', volume: { a: 1 } } as unknown as CslItem], // bypasses the schema, as old data might
    ]);
    const out = await service.render(APA, items, [{ itemId: 'good' }, { itemId: 'bad' }, { itemId: 'good' }], GAP);
    expect(out.citations.map((c) => c.text)).toEqual(['(Good Page, 2020)', CITATION_UNAVAILABLE.text, '(Good Page, 2020)']);
    expect(out.bibliography.map((b) => b.text)).toEqual(['Good page. (2020).']);
    expect(failures).toEqual([['bad']]);
  });

  it('strips attributes that a quotation mark in a DOI would smuggle into the link', async () => {
    const service = new CitationService(RESOURCES_DIR, memoryStyles());
    const items = new Map<string, CslItem>([['d', { type: 'article-journal', title: 'T', DOI: '10.1/x" style="color:red" onclick="alert(1)' }]]);
    const html = (await service.render(APA, items, [{ itemId: 'd' }], GAP)).bibliography[0]!.html;
    expect(html).toContain('<a href=');
    expect(html).not.toMatch(/<a [^>]*(style|onclick)=/); // the text may show them; the tag may not carry them
  });

  it('renders each call as a fresh document: a source dropped after name disambiguation does not break or change later calls', async () => {
    // citeproc-js 2.4.63 keeps an item in the disambiguation pool of its first short form
    // ("Roe, 2020") after disambiguation moves it to "A. Roe, 2020"; dropping it then removes
    // it from the second pool only, and the next item that lands in "Roe, 2020" made the engine
    // fetch the dropped item: "Cannot read properties of undefined (reading 'id')" (found by
    // the benchmark, where 400 names over 35 years share years; see citeproc's
    // Registry.prototype.dodeletes and registerAmbigToken).
    const failures: string[][] = [];
    const service = new CitationService(RESOURCES_DIR, memoryStyles(), (ids) => failures.push(ids));
    const roe = (given: string, year: number, title: string): CslItem => ({ type: 'book', title, author: [{ family: 'Roe', given }], issued: { 'date-parts': [[year]] } });
    const ann = roe('Ann', 2020, 'One');
    const cy = roe('Cy', 2020, 'Two');
    const bo = roe('Bo', 2021, 'Three');
    const cyAgain = roe('Cy', 2020, 'Four');
    const cite = async (items: Record<string, CslItem>) => [...(await service.inText(new Map(Object.entries(items)))).values()];
    // Two Roes in 2020: APA's givenname rule (primary name with initials) tells them apart.
    expect(await cite({ ann, cy })).toEqual(['(A. Roe, 2020)', '(C. Roe, 2020)']);
    // First authors who share a surname get initials even in different years (APA 7 §8.20).
    expect(await cite({ ann, bo })).toEqual(['(A. Roe, 2020)', '(B. Roe, 2021)']);
    // A Roe alone needs none; before the fix this call threw inside citeproc-js and was
    // cited as a failure.
    expect(await cite({ cyAgain })).toEqual(['(Roe, 2020)']);
    expect(await cite({ ann, cyAgain })).toEqual(['(A. Roe, 2020)', '(C. Roe, 2020)']);
    expect(failures).toEqual([]);
  });
});
