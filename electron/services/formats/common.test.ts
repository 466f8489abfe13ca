import { describe, expect, it } from 'vitest';
import { authorsFromMetadata, sensibleTitle } from './common';

describe('metadata helpers for documents', () => {
  it('keeps real titles and drops placeholders, file names, captions and paths', () => {
    expect(sensibleTitle('  Tides and   Trade: Évian to Rotterdam ')).toBe('Tides and Trade: Évian to Rotterdam');
    expect(sensibleTitle('Note: ports are busy')).toBe('Note: ports are busy');
    for (const junk of ['', '   ', 'Untitled', 'Document1', 'Slide 1', 'Microsoft Word - essay.doc', 'draft7.docx', 'scan_0001.pdf', 'C:\\Users\\jane\\paper', '/tmp/x', 'about:blank', '1234', null, undefined]) {
      expect(sensibleTitle(junk)).toBeNull();
    }
    expect(sensibleTitle('x'.repeat(400))).toHaveLength(300);
  });

  it('reads authors from a string split on ";" or from a list, leaving placeholders out', () => {
    expect(authorsFromMetadata('Doe, Jane; John Roe and Ana de la Fuente')).toEqual([
      { family: 'Doe', given: 'Jane' },
      { given: 'John', family: 'Roe' },
      { given: 'Ana', 'non-dropping-particle': 'de la', family: 'Fuente' },
    ]);
    expect(authorsFromMetadata(['Marieke van der Berg', 'Administrator', ''])).toEqual([{ given: 'Marieke', 'non-dropping-particle': 'van der', family: 'Berg' }]);
    expect(authorsFromMetadata('Microsoft Office User')).toEqual([]);
    expect(authorsFromMetadata('jdoe@example.org')).toEqual([]);
    expect(authorsFromMetadata(null)).toEqual([]);
  });
});
