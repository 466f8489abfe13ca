/**
 * Citation keys, worked out by hand from the rule in citationKey.ts: first author's family
 * name (an institution's first word that is not a stop word), the year ("nd" without one)
 * and the first title word that is not a stop word, folded to ASCII lower case; a taken
 * key gets a, b, ... z, aa, ab, ... as BibTeX users expect.
 */
import { describe, expect, it } from 'vitest';
import { CITATION_KEY_PATTERN, citationKeyBase, foldToAscii, uniqueCitationKey } from './citationKey';
import type { CslItem } from './model';

const year = (y: number) => ({ 'date-parts': [[y]] });

describe('citationKeyBase', () => {
  it('joins family name, year and first title word', () => {
    expect(citationKeyBase({ type: 'article-newspaper', title: 'Parler Sues Amazon', author: [{ family: 'Paul', given: 'Kari' }], issued: { 'date-parts': [[2021, 1, 11]] } })).toBe('paul2021parler');
    // Only the first author counts.
    expect(citationKeyBase({ type: 'book', title: 'Notes', author: [{ family: 'Lovelace', given: 'Ada' }, { family: 'Babbage', given: 'Charles' }], issued: year(1843) })).toBe('lovelace1843notes');
  });

  it('leaves a particle out: the family name is the key, as it sorts', () => {
    expect(citationKeyBase({ type: 'book', title: 'Heiligenstädter Testament', author: [{ family: 'Beethoven', given: 'Ludwig', 'non-dropping-particle': 'van' }], issued: year(1802) })).toBe('beethoven1802heiligenstadter');
    expect(citationKeyBase({ type: 'book', title: 'Letters', author: [{ family: 'Gogh', given: 'Vincent', 'dropping-particle': 'van' }], issued: year(1888) })).toBe('gogh1888letters');
  });

  it('takes an institution by its first word that is not a stop word', () => {
    expect(citationKeyBase({ type: 'report', title: 'Overview of Amazon Web Services', author: [{ literal: 'Amazon Web Services' }], issued: year(2020) })).toBe('amazon2020overview');
    expect(citationKeyBase({ type: 'report', title: 'Annual report', author: [{ literal: 'The New York Times Company' }], issued: year(2019) })).toBe('new2019annual');
  });

  it('falls back to editor, then container title, then "anon"; to "nd" without a year', () => {
    expect(citationKeyBase({ type: 'article-newspaper', title: 'Parler Sues Amazon' })).toBe('anonndparler');
    expect(citationKeyBase({ type: 'book', title: 'Collected Essays', editor: [{ family: 'Okafor', given: 'Ngozi' }], issued: year(2010) })).toBe('okafor2010collected');
    expect(citationKeyBase({ type: 'article-newspaper', title: 'Harbour traffic', 'container-title': 'The Lakeside Beacon', issued: year(1939) })).toBe('lakeside1939harbour');
    expect(citationKeyBase({ type: 'document' })).toBe('anonnd');
    expect(citationKeyBase({ type: 'book', author: [{ family: 'Paul' }], issued: year(2021) })).toBe('paul2021');
  });

  it('reads the year from a raw or literal date when there are no date-parts', () => {
    expect(citationKeyBase({ type: 'book', title: 'X', author: [{ family: 'Yilmaz' }], issued: { raw: '2024 Feb 21' } })).toBe('yilmaz2024x');
    expect(citationKeyBase({ type: 'book', title: 'X', author: [{ family: 'Yilmaz' }], issued: { literal: 'Spring 2020' } })).toBe('yilmaz2020x');
    expect(citationKeyBase({ type: 'book', title: 'X', author: [{ family: 'Yilmaz' }], issued: { literal: 'before the war' } })).toBe('yilmazndx');
  });

  it('folds diacritics and special letters to ASCII', () => {
    expect(citationKeyBase({ type: 'paper-conference', title: 'A Shadow-Path Method', author: [{ family: 'Großhaupt', given: 'Lena' }], issued: year(2015) })).toBe('grosshaupt2015shadow');
    expect(citationKeyBase({ type: 'article-journal', title: 'Imaging crust', author: [{ family: 'Tkalčić', given: 'Hrvoje' }], issued: year(2013) })).toBe('tkalcic2013imaging');
    expect(citationKeyBase({ type: 'book', title: 'Œuvres complètes', author: [{ family: 'Đoković' }], issued: year(2000) })).toBe('dokovic2000oeuvres');
    expect(foldToAscii('Ærøskøbing')).toBe('aeroskobing');
    expect(foldToAscii('Łódź')).toBe('lodz');
    expect(foldToAscii('Þórsdóttir')).toBe('thorsdottir');
    expect(foldToAscii('GROẞE')).toBe('grosse');
    expect(foldToAscii('İstanbul ılık')).toBe('istanbulilik');
    expect(foldToAscii("O'Brien-Smith")).toBe('obriensmith');
  });

  it('skips stop words at the start of a title (English, German, French, Spanish)', () => {
    const titleWord = (title: string) => citationKeyBase({ type: 'book', title, author: [{ family: 'X' }], issued: year(2000) }).slice('x2000'.length);
    expect(titleWord('The Art of War')).toBe('art');
    expect(titleWord('A Tale of Two Cities')).toBe('tale');
    expect(titleWord('Of Mice and Men')).toBe('mice');
    expect(titleWord('An Essay on Man')).toBe('essay');
    expect(titleWord('Die Welt von gestern')).toBe('welt');
    expect(titleWord('Le Petit Prince')).toBe('petit');
    expect(titleWord('El Aleph')).toBe('aleph');
    expect(titleWord("L'Étranger")).toBe('etranger');
    expect(titleWord('“Quoted” words first')).toBe('quoted');
    expect(titleWord('On: the record')).toBe('record');
    expect(titleWord('1984')).toBe('1984');
  });

  it('caps the name at 30 and the title word at 20 characters', () => {
    const key = citationKeyBase({ type: 'book', title: 'Supercalifragilisticexpialidocious', author: [{ family: 'Wolfeschlegelsteinhausenbergerdorff' }], issued: year(1900) });
    expect(key).toBe(`${'wolfeschlegelsteinhausenbergerdorff'.slice(0, 30)}1900${'supercalifragilisticexpialidocious'.slice(0, 20)}`);
  });

  it('is only letters and digits, so it is always a valid key', () => {
    const items: CslItem[] = [
      { type: 'book', title: '¿Qué? ¡Sí!', author: [{ family: "D'Souza-Núñez" }], issued: year(1999) },
      { type: 'book', title: 'Про що ми пишемо', author: [{ family: 'Коваленко' }], issued: year(1997) },
    ];
    for (const item of items) {
      const key = citationKeyBase(item);
      expect(key).toMatch(/^[a-z0-9]+$/);
      expect(key).toMatch(CITATION_KEY_PATTERN);
    }
    expect(citationKeyBase(items[0]!)).toBe('dsouzanunez1999que');
  });
});

describe('uniqueCitationKey', () => {
  const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');

  it('returns the base when it is free, then a, b, ... z', () => {
    expect(uniqueCitationKey('paul2021parler', () => false)).toBe('paul2021parler');
    expect(uniqueCitationKey('paul2021parler', (k) => k === 'paul2021parler')).toBe('paul2021parlera');
    const upToA = new Set(['k', 'ka']);
    expect(uniqueCitationKey('k', (k) => upToA.has(k))).toBe('kb');
    const upToY = new Set(['k', ...letters.slice(0, 25).map((l) => `k${l}`)]);
    expect(uniqueCitationKey('k', (k) => upToY.has(k))).toBe('kz');
  });

  it('goes on after z with aa, ab, ... az, ba', () => {
    const single = ['k', ...letters.map((l) => `k${l}`)];
    expect(uniqueCitationKey('k', (k) => single.includes(k))).toBe('kaa');
    expect(uniqueCitationKey('k', (k) => [...single, 'kaa'].includes(k))).toBe('kab');
    const throughAz = [...single, ...letters.map((l) => `ka${l}`)];
    expect(uniqueCitationKey('k', (k) => throughAz.includes(k))).toBe('kba');
  });

  it('skips only what is taken: a free gap is used', () => {
    expect(uniqueCitationKey('k', (k) => ['k', 'ka', 'kc'].includes(k))).toBe('kb');
  });
});

describe('CITATION_KEY_PATTERN', () => {
  it('allows what pandoc allows and refuses the rest', () => {
    for (const ok of ['paul2021parler', 'Paul:2021', '_draft', 'müller2020', 'doe/2020-a.b', '2021report']) expect(ok, ok).toMatch(CITATION_KEY_PATTERN);
    for (const bad of ['', '-dash', 'two words', 'a,b', 'semi;colon', 'x'.repeat(101), '@key', '{key}']) expect(bad, bad).not.toMatch(CITATION_KEY_PATTERN);
    expect('x'.repeat(100)).toMatch(CITATION_KEY_PATTERN);
  });
});
