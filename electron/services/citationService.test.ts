import { describe, expect, it } from 'vitest';
import type { CslItem } from '../../shared/model';
import { CITATION_UNAVAILABLE, CitationService } from './citationService';
import { RESOURCES_DIR } from './testing';

describe('CitationService', () => {
  it('cites an item citeproc-js cannot render as unavailable, renders the rest, and says which failed', () => {
    const failures: string[][] = [];
    const service = new CitationService(RESOURCES_DIR, (ids) => failures.push(ids));
    const items = new Map<string, CslItem>([
      ['good', { type: 'webpage', title: 'Good page', issued: { 'date-parts': [[2020]] } }],
      ['bad', { type: 'book', title: 'Bad', volume: { a: 1 } } as unknown as CslItem], // bypasses the schema, as old data might
    ]);
    const out = service.render(items, [{ itemId: 'good' }, { itemId: 'bad' }, { itemId: 'good' }]);
    expect(out.citations.map((c) => c.text)).toEqual(['(Good Page, 2020)', CITATION_UNAVAILABLE.text, '(Good Page, 2020)']);
    expect(out.bibliography.map((b) => b.text)).toEqual(['Good page. (2020).']);
    expect(failures).toEqual([['bad']]);
  });

  it('strips attributes that a quotation mark in a DOI would smuggle into the link', () => {
    const service = new CitationService(RESOURCES_DIR);
    const items = new Map<string, CslItem>([['d', { type: 'article-journal', title: 'T', DOI: '10.1/x" style="color:red" onclick="alert(1)' }]]);
    const html = service.render(items, [{ itemId: 'd' }]).bibliography[0]!.html;
    expect(html).toContain('<a href=');
    expect(html).not.toMatch(/<a [^>]*(style|onclick)=/); // the text may show them; the tag may not carry them
  });
});
