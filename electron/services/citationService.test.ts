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
});
