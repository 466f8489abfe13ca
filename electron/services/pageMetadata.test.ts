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

/** A whole page with its own <title>, head and text before the article body. */
const pageWith = ({ title = 'A page title long enough to keep', head = '', before = '', after = '' }: { title?: string; head?: string; before?: string; after?: string }) =>
  Buffer.from(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${before}${BODY}${after}</body></html>`);

describe('metadata that Readability misses or gets wrong', async () => {
  it('reads every Dublin Core creator (family first, particles kept) and DC.Date.Issued, as IETF drafts declare them', async () => {
    const { csl } = await importFile(
      'draft.html',
      pageWith({ head: '<meta name="DC.Creator" content="Kooman, F."><meta name="DC.Creator" content="Jong, Michiel de"><meta name="DC.Date.Issued" content="2014-12-15">' }),
    );
    expect(csl.author).toEqual([
      { family: 'Kooman', given: 'F.' },
      { family: 'Jong', given: 'Michiel', 'non-dropping-particle': 'de' },
    ]);
    expect(csl.issued).toEqual({ 'date-parts': [[2014, 12, 15]] });
  });

  it('prefers dcterms.creator to a visible byline Readability reads with its label ("Text: Mikael Strand")', async () => {
    const { csl } = await importFile(
      'drupal.html',
      pageWith({ head: '<meta name="dcterms.creator" content="Mikael Strand"><meta name="dcterms.date" content="2023-09-21T10:00+02:00">', before: '<div class="field field--name-field-author">Text: Mikael Strand</div>' }),
    );
    expect(csl.author).toEqual([{ given: 'Mikael', family: 'Strand' }]);
    expect(csl.issued).toEqual({ 'date-parts': [[2023, 9, 21]] });
  });

  it('reads a WordPress byline of hAtom "author vcard" names in an entry header, not the author box link, related posts or commenters', async () => {
    const { csl } = await importFile(
      'wordpress.html',
      pageWith({
        before: `<header class="entry-header"><h1 class="entry-title">Heading</h1><span class="byline"><span class="author-prefix">By</span> <span class="author vcard"><a class="url fn n" href="/author/jdoe/">Jane Doe</a></span> <span class="author-separator">and</span> <span class="author vcard"><a class="url fn n" href="/author/jroe/">John Roe</a></span></span></header>`,
        after: `<div class="author-bio"><p>Jane Doe covers city hall for the paper and has done so for a very long time, reporting on every council meeting.</p><a class="author-link" href="/author/jdoe/">More by Jane Doe</a></div>
          <div class="related-posts"><article><h3>Another story</h3><span class="author vcard"><a class="url fn n" href="/author/mlind/">Marta Lind</a></span></article></div>
          <div id="comments"><div class="comment"><span class="author vcard"><b class="fn">riverwatcher</b></span><p>First!</p></div></div>`,
      }),
    );
    expect(csl.author).toEqual([
      { given: 'Jane', family: 'Doe' },
      { given: 'John', family: 'Roe' },
    ]);
  });

  it('reads schema.org microdata: an itemprop="author" Person’s name and a <time itemprop="datePublished">', async () => {
    const { csl } = await importFile(
      'microdata.html',
      pageWith({
        before: `<div class="meta"><span itemprop="author" itemscope itemtype="https://schema.org/Person">Par <span itemprop="name">Martin Untersinger</span></span> <time itemprop="datePublished" datetime="2015-05-04T13:36:31+02:00">04.05.2015 à 13h36</time></div>`,
        after: '<div itemprop="comment" itemscope><span itemprop="author">A. Reader</span><time itemprop="datePublished" datetime="2015-06-01">1 June</time></div>',
      }),
    );
    expect(csl.author).toEqual([{ given: 'Martin', family: 'Untersinger' }]);
    expect(csl.issued).toEqual({ 'date-parts': [[2015, 5, 4]] });
  });

  it('reads the date German publishers declare in <meta name="date">', async () => {
    const { csl } = await importFile('spiegel.html', pageWith({ head: '<meta name="date" content="2024-03-14T18:30:00+01:00"><meta name="last-modified" content="2024-03-15T07:10:00+01:00">' }));
    expect(csl.issued).toEqual({ 'date-parts': [[2024, 3, 14]] });
  });

  it('drops soft hyphens from the title and the site name', async () => {
    const { csl } = await importFile(
      'shy.html',
      pageWith({ head: '<meta property="og:title" content="Library opens reading room for inter&shy;disciplinary manuscript studies"><meta property="og:site_name" content="Uni&shy;versity of Northmoor">' }),
    );
    expect(csl.title).toBe('Library opens reading room for interdisciplinary manuscript studies');
    expect(csl['container-title']).toBe('University of Northmoor');
  });

  it('drops title ends that repeat the author or the site, and nothing else', async () => {
    const guardian = await importFile(
      'guardian.html',
      pageWith({ head: `<meta property="og:title" content="'What is the sea telling us?': Māori tribes fearful over whale strandings | Eleanor Ainge Roy"><meta name="author" content="Eleanor Ainge Roy"><meta property="og:site_name" content="the Guardian">` }),
    );
    expect(guardian.csl.title).toBe("'What is the sea telling us?': Māori tribes fearful over whale strandings");
    const medium = await importFile(
      'medium.html',
      pageWith({ head: `<script type="application/ld+json">{"@context":"http://schema.org","@type":"NewsArticle","headline":"Samantha and The Great Big Lie - John C. Welch - Medium","author":{"@type":"Person","name":"John C. Welch"},"publisher":{"@type":"Organization","name":"Medium"}}</script><meta property="og:site_name" content="Medium">` }),
    );
    expect(medium.csl.title).toBe('Samantha and The Great Big Lie');
    const chapter = await importFile('part.html', pageWith({ head: '<meta property="og:title" content="Reading notes - Part 2 - Method"><meta name="author" content="Sam Okafor">' }));
    expect(chapter.csl.title).toBe('Reading notes - Part 2 - Method');
    const declared = await importFile('paper.html', pageWith({ head: '<meta name="citation_title" content="Marginalia - Jane Doe"><meta name="citation_author" content="Doe, Jane">' }));
    expect(declared.csl.title).toBe('Marginalia - Jane Doe');
  });

  it('keeps several-word family names and particles of citation_author whole', async () => {
    const { csl } = await importFile('names.html', pageWith({ head: '<meta name="citation_title" content="A paper"><meta name="citation_author" content="García Márquez, Gabriel"><meta name="citation_author" content="van der Berg, Richard">' }));
    expect(csl.author).toEqual([
      { family: 'García Márquez', given: 'Gabriel' },
      { family: 'Berg', given: 'Richard', 'non-dropping-particle': 'van der' },
    ]);
  });
});

describe('bylines', async () => {
  it('drops what introduces a byline: "By:", Hebrew "מאת", Arabic "بقلم", author-box links; and soft hyphens', async () => {
    expect(parseByline('מאת דנה לוי')).toEqual([{ given: 'דנה', family: 'לוי' }]);
    expect(parseByline('بقلم: سارة الخطيب')).toEqual([{ given: 'سارة', family: 'الخطيب' }]);
    expect(parseByline('By: Jane Doe')).toEqual([{ given: 'Jane', family: 'Doe' }]);
    expect(parseByline('More by Jane Doe')).toEqual([{ given: 'Jane', family: 'Doe' }]);
    expect(parseByline('View all posts by John Roe')).toEqual([{ given: 'John', family: 'Roe' }]);
    expect(parseByline('Por Lucía Ferrer')).toEqual([{ given: 'Lucía', family: 'Ferrer' }]);
    expect(parseByline('Von Anna Mül\u00ADler')).toEqual([{ given: 'Anna', family: 'Müller' }]);
  });


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
