import { describe, expect, it } from 'vitest';
import { IMPORT_ACCEPT, isBibliographyFileName } from './importFormats';

describe('import formats', () => {
  it('tells bibliographies from articles by extension, in any case', () => {
    expect(['refs.bib', 'REFS.BibTeX', 'export.ris', 'items.json'].map(isBibliographyFileName)).toEqual([true, true, true, true]);
    expect(['paper.pdf', 'notes.md', 'bib', 'archive.bib.zip'].map(isBibliographyFileName)).toEqual([false, false, false, false]);
  });

  it('the pickers accept every article and bibliography extension and the common media types', () => {
    expect(IMPORT_ACCEPT).toBe('.txt,.text,.md,.markdown,.html,.htm,.xhtml,.mhtml,.mht,.pdf,.docx,.epub,.bib,.bibtex,.ris,.json,application/pdf,text/plain,text/markdown,text/html');
  });
});
