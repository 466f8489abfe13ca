/**
 * What pages declare about themselves, read into CSL. Fixtures are written here, in the
 * shapes Google Scholar's inclusion guidelines (citation_*), schema.org (JSON-LD) and
 * news sites use; expected values are read off the fixtures by hand.
 */
import { describe, expect, it } from 'vitest';
import { importFile } from './importer';
import { looseDate, parseByline } from './pageMetadata';

const BODY = `<article><h1>Heading</h1>${'<p>A paragraph of the article body that Readability will keep because it is long enough to count as content. </p>'.repeat(6)}</article>`;
const page = (head: string) => Buffer.from(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page title | Site</title>${head}</head><body>${BODY}</body></html>`);

describe('metadata a page declares', async () => {
  it('reads Highwire citation_* tags first: journal article with authors, date, volume, issue, pages and DOI', async () => {
    const { csl } = await importFile(
      'paper.html',
      page(`
        <meta name="citation_title" content="Platform liability after the ban">
        <meta name="citation_author" content="Doe, Jane">
        <meta name="citation_author" content="Richard van der Berg">
        <meta name="citation_journal_title" content="Journal of Invented Law">
        <meta name="citation_publication_date" content="2021/03/05">
        <meta name="citation_volume" content="12"><meta name="citation_issue" content="3">
        <meta name="citation_firstpage" content="101"><meta name="citation_lastpage" content="130">
        <meta name="citation_doi" content="doi: 10.1234/jil.2021.12">
        <meta property="og:site_name" content="Invented Press">
        <script type="application/ld+json">{"@type":"NewsArticle","headline":"Not this one","author":{"@type":"Person","name":"Someone Else"}}</script>`),
    );
    expect(csl).toMatchObject({
      type: 'article-journal',
      title: 'Platform liability after the ban',
      author: [{ family: 'Doe', given: 'Jane' }, { given: 'Richard', 'non-dropping-particle': 'van der', family: 'Berg' }],
      'container-title': 'Journal of Invented Law',
      issued: { 'date-parts': [[2021, 3, 5]] },
      volume: '12',
      issue: '3',
      page: '101–130',
      DOI: '10.1234/jil.2021.12',
    });
  });

  it('reads JSON-LD NewsArticle: an Organization author stays whole, the publisher is the newspaper', async () => {
    const { csl } = await importFile(
      'news.html',
      page(`<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Example Daily"},
        {"@type":"NewsArticle","headline":"Harbour traffic hits a record","datePublished":"2021-01-11T18:00:00+01:00",
         "author":[{"@type":"Person","name":"Kari Paul"},{"@type":"Organization","name":"Amazon Web Services"}],
         "publisher":{"@type":"NewsMediaOrganization","name":"Example Daily"},"url":"https://example.com/harbour"}]}</script>`),
    );
    expect(csl.type).toBe('article-newspaper');
    expect(csl.author).toEqual([{ given: 'Kari', family: 'Paul' }, { literal: 'Amazon Web Services' }]);
    expect(csl['container-title']).toBe('Example Daily');
    expect(csl.issued).toEqual({ 'date-parts': [[2021, 1, 11]] }); // the date as the page wrote it, not shifted to UTC
    expect(csl.URL).toBe('https://example.com/harbour');
  });

  it('takes a byline that is the site’s own name as an institution', async () => {
    const { csl } = await importFile('bbc.html', page('<meta name="author" content="Example News"><meta property="og:site_name" content="Example News"><meta property="article:published_time" content="2015-07-24T05:36:09+01:00">'));
    expect(csl.author).toEqual([{ literal: 'Example News' }]);
    expect(csl.issued).toEqual({ 'date-parts': [[2015, 7, 24]] });
  });

  it('ignores JSON-LD that is not JSON and javascript: URLs, keeping the rest', async () => {
    const { csl } = await importFile('broken.html', page('<script type="application/ld+json">{ not json</script><meta name="citation_title" content="Still here"><meta name="citation_public_url" content="javascript:alert(1)">'));
    expect(csl.title).toBe('Still here');
    expect(csl.URL).toBeUndefined();
  });
});

describe('bylines', async () => {
  it('reads inverted names with particles, co-authors in parentheses, and plain lists', async () => {
    expect(parseByline('Jong, Michiel de')).toEqual([{ family: 'Jong', given: 'Michiel', 'non-dropping-particle': 'de' }]);
    expect(parseByline('Doe, Jane')).toEqual([{ family: 'Doe', given: 'Jane' }]);
    expect(parseByline('Martin Untersinger (avec Damien Leloup et Morgane Tual)')).toEqual([
      { given: 'Martin', family: 'Untersinger' },
      { given: 'Damien', family: 'Leloup' },
      { given: 'Morgane', family: 'Tual' },
    ]);
    expect(parseByline('By Jane Doe and John Roe')).toEqual([
      { given: 'Jane', family: 'Doe' },
      { given: 'John', family: 'Roe' },
    ]);
  });
});

describe('looseDate', async () => {
  it('reads the date forms pages use', async () => {
    expect(looseDate('2021/1/5')).toEqual({ 'date-parts': [[2021, 1, 5]] });
    expect(looseDate('2021')).toEqual({ 'date-parts': [[2021]] });
    expect(looseDate('January 11, 2021')).toEqual({ 'date-parts': [[2021, 1, 11]] });
    expect(looseDate('not a date')).toBeNull();
    expect(looseDate('2021-02-30')).toBeNull();
  });
});
