import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../shared/contract';
import { decodeText, estimateNestingDepth, firstInvalidUtf8Offset, IMPORTABLE_EXTENSIONS, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS, READABILITY_MAX_ELEMENTS, safeHttpUrl, firstLineTitle, importFile, importPlainText, looksBinary, markdownTitle } from './importer';
import { cslDateFromIso, parseByline } from './pageMetadata';
import { errorOf } from './testing';

const utf8 = (s: string) => new TextEncoder().encode(s);


describe('plain text', async () => {
  it('takes the title from the first non-empty line and keeps the text as it is but for line endings', async () => {
    const doc = (await importFile('a.txt', utf8('\n\n  Parler Sues Amazon  \r\n\r\n“Quoted,” she said — twice.\r\n')));
    expect(doc.csl.title).toBe('Parler Sues Amazon');
    expect(doc.text).toBe('\n\n  Parler Sues Amazon  \n\n“Quoted,” she said — twice.\n');
    expect(doc.html).toBeNull();
    expect(doc.mediaType).toBe('text/plain');
  });

  it('drops a UTF-8 BOM and reads UTF-16 with a BOM', async () => {
    expect((await importFile('bom.txt', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Title\nBody')]))).text).toBe('Title\nBody');
    const le = new Uint8Array([0xff, 0xfe, ...Array.from('Hé').flatMap((c) => [c.charCodeAt(0), 0])]);
    expect((await importFile('u16.txt', le)).text).toBe('Hé');
  });

  it('gives the first Markdown heading as title', async () => {
    expect(markdownTitle('Intro line\n\n## The Real Title ##\n')).toBe('The Real Title'); // the first heading, wherever it is
    expect(markdownTitle('No heading here\nat all')).toBe('No heading here');
    expect(markdownTitle('# Heading One\ntext')).toBe('Heading One');
    expect(markdownTitle('Setext Title\n=====\n\nbody')).toBe('Setext Title');
    expect((await importFile('n.md', utf8('---\n\n### Notes on *AWS*\n\nBody'))).csl.title).toBe('Notes on AWS');
  });

  it('reads Markdown as rendered text, so quotes never pick up its markup', async () => {
    const doc = (await importFile('notes.md', utf8('# Harbour notes\n\nThe **three cafés** said: *“Tourists stay away.”*\n\n- first\n- second\n\nSee [the report](https://example.org/r).\n')));
    expect(doc.text).toBe('Harbour notes\n\nThe three cafés said: “Tourists stay away.”\n\nfirst\n\nsecond\n\nSee the report.');
    expect(doc.html).toContain('<strong>three cafés</strong>');
    expect(doc.mediaType).toBe('text/markdown');
  });

  it('takes YAML front matter as metadata, not text', async () => {
    const doc = (await importFile('fm.md', utf8('---\ntitle: "Harbour notes, week 3"\nauthor: Someone\n---\n\n# Heading\n\nBody text.\n')));
    expect(doc.csl.title).toBe('Harbour notes, week 3');
    expect(doc.text).toBe('Heading\n\nBody text.');
  });

  it('caps a title at 300 characters', async () => {
    expect(firstLineTitle('x'.repeat(400))).toHaveLength(300);
  });

  it('refuses an empty paste and a white-space file', async () => {
    expect((await errorOf(() => importPlainText('  \n ', 'text', 'paste'))).message).toBe('The pasted text is empty: there is nothing to import.');
    expect((await errorOf(() => importFile('blank.txt', utf8(' \n\t\n')))).code).toBe('empty_file');
  });
});

describe('refusals', async () => {
  it('an empty file', async () => {
    const e = (await errorOf(() => importFile('empty.txt', new Uint8Array())));
    expect([e.code, e.message]).toEqual(['empty_file', '“empty.txt” is empty: there is nothing to import.']);
  });

  it('a binary file named .txt', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect(looksBinary(png)).toBe(true);
    expect((await errorOf(() => importFile('photo.txt', png))).code).toBe('unsupported_file');
  });

  it('invalid UTF-8, naming the first bad byte', async () => {
    const bytes = new Uint8Array([...utf8('Résumé: ok '), 0xc3, 0x28, ...utf8(' rest')]);
    const e = (await errorOf(() => importFile('bad.txt', bytes)));
    expect(e.code).toBe('invalid_encoding');
    expect(e.message).toContain(`offset ${utf8('Résumé: ok ').length}`);
  });

  it('finds the start of the first invalid UTF-8 sequence', async () => {
    expect(firstInvalidUtf8Offset(utf8('plain ascii'))).toBe(-1);
    expect(firstInvalidUtf8Offset(utf8('“curly” — 😀'))).toBe(-1);
    expect(firstInvalidUtf8Offset(new Uint8Array([0x61, 0xc0, 0xaf]))).toBe(1); // overlong "/"
    expect(firstInvalidUtf8Offset(new Uint8Array([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2); // a surrogate
    expect(firstInvalidUtf8Offset(new Uint8Array([0x61, 0xe2, 0x80]))).toBe(1); // cut short
    expect(firstInvalidUtf8Offset(new Uint8Array([0xff]))).toBe(0);
  });

  it('a file over the size limit', async () => {
    const e = (await errorOf(() => importFile('big.txt', new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x61))));
    expect(e.code).toBe('file_too_large');
    expect(e.message).toMatch(/“big\.txt” is 10\.0 MB; Verbatim imports files up to 10\.0 MB/);
  });

  it('an unknown type, with a hint for formats that convert to one Verbatim reads', async () => {
    expect(IMPORTABLE_EXTENSIONS).toEqual(['.txt', '.text', '.md', '.markdown', '.html', '.htm', '.xhtml', '.mhtml', '.mht', '.pdf', '.docx', '.epub']);
    const photo = await errorOf(() => importFile('photo.jpg', new Uint8Array([0xff, 0xd8, 0xff])));
    expect([photo.code, photo.message]).toEqual(['unsupported_file', 'Verbatim cannot import “photo.jpg”: it imports .txt, .text, .md, .markdown, .html, .htm, .xhtml, .mhtml, .mht, .pdf, .docx, .epub files.']);
    const doc = await errorOf(() => importFile('essay.doc', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0])));
    expect(doc.message).toBe('Verbatim cannot import “essay.doc”: it imports .txt, .text, .md, .markdown, .html, .htm, .xhtml, .mhtml, .mht, .pdf, .docx, .epub files. Save it as .docx (Word or LibreOffice) and import that.');
  });

  it('a binary file named as text names only the text types', async () => {
    const e = await errorOf(() => importFile('report.md', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0])));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“report.md” looks like a binary file, not text (or it is UTF-16 text without a byte-order mark). Verbatim imports .txt, .text, .md, .markdown, .html, .htm, .xhtml files as text in UTF-8.',
    ]);
  });

  it('a PDF, Word document or EPUB over the size limit is refused before it is opened', async () => {
    const big = new Uint8Array(MAX_IMPORT_BYTES + 1);
    big.set(utf8('%PDF-1.7\n'));
    const e = await errorOf(() => importFile('big.pdf', big));
    expect([e.code, e.message]).toEqual(['file_too_large', '“big.pdf” is 10.0 MB; Verbatim imports files up to 10.0 MB. Split it into smaller parts.']);
  });

  it('decodes HTML in the charset its meta tag declares, windows-1252 quotes and dashes included', async () => {
    // 0x93 0x94 “ ”, 0x92 ’, 0x96 – in windows-1252 (not the C1 controls ISO-8859-1 has there).
    const bytes = new Uint8Array([...utf8('<meta charset="windows-1252"><p>'), 0x93, ...utf8('caf'), 0xe9, 0x94, 0x20, 0x96, 0x20, 0x92, ...utf8('</p>')]);
    expect(decodeText(bytes, 'x.html', 'html')).toContain('<p>“café” – ’</p>');
  });
});

describe('HTML', async () => {
  const page = `<!doctype html><html lang="de"><head><title>Hafen meldet Rekord beim Containerumschlag | Example Zeitung</title>
    <meta property="og:site_name" content="Example Zeitung">
    <meta property="article:published_time" content="2021-01-11T18:00:00+01:00">
    <link rel="canonical" href="https://example.org/a/1">
    <script>alert(1)</script></head><body>
    <nav>Home · World · Sport</nav>
    <article><h1>Hafen meldet Rekord beim Containerumschlag</h1><p class="byline">By Jane Q. Public</p>
    <p>Der Hafen hat im vergangenen Jahr mehr Container umgeschlagen als je zuvor, teilte die Behörde mit.</p>
    <p>„Wir sind sehr zufrieden“, sagte die Direktorin. <img src=x onerror="alert(2)"> Die Zahlen seien   stark.</p>
    <p><a href="javascript:alert(3)">Link</a> und <a href="https://example.org/b">ein echter Link</a>.</p>
    <p>Ein weiterer Absatz mit genug Text, damit Readability ihn als Artikel erkennt und behält.</p></article>
    <footer>© Example</footer></body></html>`;

  it('extracts the article with Readability, sanitizes it and reads its metadata', async () => {
    const doc = (await importFile('hafen.html', utf8(page)));
    expect(doc.csl.title).toBe('Hafen meldet Rekord beim Containerumschlag'); // Readability drops the site name
    expect(doc.csl['container-title']).toBe('Example Zeitung');
    expect(doc.csl.issued).toEqual({ 'date-parts': [[2021, 1, 11]] });
    expect(doc.csl.URL).toBe('https://example.org/a/1');
    expect(doc.csl.language).toBe('de');
    expect(doc.csl.type).toBe('article-newspaper');
    expect(doc.html).not.toMatch(/<script|onerror|javascript:/i);
    expect(doc.html).toContain('href="https://example.org/b"');
    expect(doc.text).toContain('„Wir sind sehr zufrieden“, sagte die Direktorin. Die Zahlen seien stark.');
    expect(doc.text).not.toContain('Home · World');
    expect(doc.text.split('\n\n').length).toBeGreaterThanOrEqual(3);
  });
});

describe('HTML that is too big or too deep', async () => {
  it('refuses a page with more elements than it can read quickly, before parsing it', async () => {
    const page = `<html><body>${'<table><tr><td>cell</td></tr></table>'.repeat(MAX_HTML_ELEMENTS / 3 + 10)}</body></html>`;
    const e = (await errorOf(() => importFile('tables.html', utf8(page))));
    expect(e.code).toBe('unsupported_file');
    expect(e.message).toMatch(/has about 50,0\d\d HTML elements; Verbatim imports pages of up to 50,000/);
  });

  it('reads a large page whole, without Readability, keeping its text', async () => {
    const rows = READABILITY_MAX_ELEMENTS;
    const page = `<html><body><nav>Menu</nav>${Array.from({ length: rows }, (_, i) => `<p>Line ${i} of the record.</p>`).join('')}<footer>Footer</footer></body></html>`;
    const doc = (await importFile('big.html', utf8(page)));
    expect(doc.text.split('\n\n')).toHaveLength(rows);
    expect(doc.text.startsWith('Line 0 of the record.')).toBe(true);
    expect(doc.text).not.toContain('Menu');
  });

  it('refuses a page nested thousands deep before parsing it, and reads one nested a few hundred deep', async () => {
    const nest = (depth: number) => utf8(`<html><body>${'<div>'.repeat(depth)}Deep text.${'</div>'.repeat(depth)}<p>${'Unclosed paragraph. <p>'.repeat(600)}</body></html>`);
    const e = (await errorOf(() => importFile('deep.html', nest(20_000))));
    expect([e.code, e.message]).toEqual(['unsupported_file', '“deep.html” nests its elements 20,000 levels deep; Verbatim imports pages nested up to 400 levels (articles use a few dozen).']);
    expect(estimateNestingDepth('<div><p><p><p><div></div></div><span><b></b></span>')).toBe(2); // unclosed <p>s do not count
    expect((await importFile('ok.html', nest(MAX_HTML_DEPTH))).text.startsWith('Deep text.')).toBe(true);
  });

  it('takes a <meta> that claims UTF-16 as UTF-8, as browsers do', async () => {
    const bytes = new Uint8Array([...utf8('<meta charset="utf-16"><p>caf'), 0xe9, ...utf8('</p>')]);
    expect((await errorOf(() => importFile('x.html', bytes))).code).toBe('invalid_encoding');
  });

  it('keeps only http(s) URLs, normalized, and real dates', async () => {
    const page = `<html><head><link rel="canonical" href='https://example.com/a" style="x'><meta property="article:published_time" content="2021-13-45"></head><body><article><p>${'Enough words for an article. '.repeat(20)}</p></article></body></html>`;
    const doc = (await importFile('odd.html', utf8(page)));
    expect(doc.csl.URL).toBe('https://example.com/a%22%20style=%22x');
    expect(doc.csl.issued).toBeUndefined();
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
  });
});

describe('metadata helpers', async () => {
  it('parses bylines into CSL names, keeping institutions whole', async () => {
    expect(parseByline('By Jane Doe and John Roe')).toEqual([
      { given: 'Jane', family: 'Doe' },
      { given: 'John', family: 'Roe' },
    ]);
    expect(parseByline('Amazon Web Services Press Office Team')).toEqual([{ literal: 'Amazon Web Services Press Office Team' }]);
    expect(parseByline('Reuters')).toEqual([{ literal: 'Reuters' }]);
    expect(parseByline('Marieke van der Berg and Ana de la Fuente')).toEqual([
      { given: 'Marieke', 'non-dropping-particle': 'van der', family: 'Berg' },
      { given: 'Ana', 'non-dropping-particle': 'de la', family: 'Fuente' },
    ]);
  });

  it('reads ISO dates into CSL date-parts', async () => {
    expect(cslDateFromIso('2021-01-11T18:00:00Z')).toEqual({ 'date-parts': [[2021, 1, 11]] });
    expect(cslDateFromIso('2021-01')).toEqual({ 'date-parts': [[2021, 1]] });
    expect(cslDateFromIso('last Monday')).toBeNull();
  });
});

/*
 * The pre-clean before Readability (formats/preclean.ts), one small page per rule. Each
 * expected text is worked out by hand from the page: the article's paragraphs in order,
 * one per block, with nothing from the chrome around them.
 */
describe('HTML: page chrome cleaned before Readability', async () => {
  const P1 = 'The council voted on Thursday to repair the old stone bridge, which has been closed to cars since the spring floods damaged two of its piers.';
  const P2 = 'Engineers said the work would take eight months, cost about 2.4 million, and keep one lane open for cyclists and walkers throughout.';
  const P3 = 'Residents who spoke at the meeting, most of them from the east bank, asked for a temporary ferry, which the council agreed to study.';
  const P4 = 'The ferry, if it runs, would leave from the old landing stage below the mill, as it did until the bridge was built in 1887.';
  const BODY = `<p>${P1}</p><p>${P2}</p><p>${P3}</p>`;
  const page = (body: string, head = '') =>
    utf8(`<!doctype html><html lang="en"><head><title>Bridge to be repaired by autumn</title>${head}</head><body>${body}</body></html>`);
  const textOf = async (body: string, head = '') => (await importFile('page.html', page(body, head))).text;

  it('rule 1: drops navigation, breadcrumbs, skip links and text for screen readers only', async () => {
    const text = await textOf(`
      <a class="skip-link screen-reader-text" href="#main">Skip to content</a>
      <div id="page" class="site">
        <div class="top"><nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav></div>
        <div id="main" class="site-main">
          <nav class="breadcrumb" aria-label="You are here"><ol><li><a href="/">Home</a></li><li><a href="/local">Local</a></li></ol></nav>
          <div role="navigation" class="story-nav"><a href="/prev">Previous story: Market hall to close for a month</a></div>
          <article>
            <p>${P1}</p>
            <p><span class="visually-hidden">Pull quote: </span>${P2}</p>
            <p>${P3}</p>
          </article>
        </div>
      </div>`);
    expect(text).toBe(`${P1}\n\n${P2}\n\n${P3}`);
  });

  it('rule 1: drops consent banners and other dialogs, with or without a role', async () => {
    // Beside the article in the same container, with paragraphs of sentences: Readability alone appends the banner as article text.
    const text = await textOf(`
      <div id="main" class="content">
        <article>${BODY}</article>
        <div class="cmp-layer" aria-modal="true">
          <p>We and our partners store and access information on your device, such as cookies, to measure the audience, personalise advertising and content, and improve our services.</p>
          <p>You can accept, refuse, or choose your settings at any time, including your right to object, by clicking on “Settings”, at the bottom of every page.</p>
        </div>
        <div class="notice" role="alertdialog"><p>The valley line is closed between Alder Falls and Millbrook after a landslide, and replacement buses run every hour, from the station forecourt.</p></div>
      </div>`);
    expect(text).toBe(`${P1}\n\n${P2}\n\n${P3}`);
  });

  it('rule 2: drops ad slots that hold only their label, in any of the common languages', async () => {
    const text = await textOf(`
      <article>
        <p>${P1}</p>
        <div class="slot" data-slot="1"><span class="slot__label">Anzeige</span></div>
        <p>${P2}</p>
        <section class="box"><div class="label">— Publicité —</div></section>
        <p>${P3}</p>
        <div class="unit"><span>פרסומת</span></div>
      </article>`);
    expect(text).toBe(`${P1}\n\n${P2}\n\n${P3}`);
  });

  it('rule 2: keeps the word when it is a heading, a list item, in a table or part of a sentence', async () => {
    const text = await textOf(`
      <article>
        <p>${P1}</p>
        <h2>Advertising</h2>
        <p>${P2} The town spends little on <span class="term">advertising</span>, the report says.</p>
        <ul><li>Advertising</li><li>Printing and binding</li></ul>
        <p>${P3}</p>
        <table><tr><th>Budget line</th><th>Euros</th></tr><tr><td><div>Advertising</div></td><td>12,000</td></tr></table>
      </article>`);
    expect(text).toBe(
      `${P1}\n\nAdvertising\n\n${P2} The town spends little on advertising, the report says.\n\nAdvertising\n\nPrinting and binding\n\n${P3}\n\nBudget line\n\nEuros\n\nAdvertising\n\n12,000`,
    );
  });

  it('rule 3: drops share, newsletter, author-bio, related, comments and subscription blocks, in and beside the body', async () => {
    const text = await textOf(`
      <article class="post tag-social-media has-comments">
        <div class="entry-content">
          <p>${P1}</p>
          <div class="share-bar"><a href="/s/fb">Share on Facebook</a> <a href="/s/x">Share on X</a></div>
          <p>${P2}</p>
          <div class="wp-block-group newsletters-subscribe-block"><h3>Get the Gazette Daily</h3><p>The day’s local news in your inbox every morning, before breakfast, free of charge.</p></div>
          <p>${P3}</p>
        </div>
        <div class="author-bio"><p>Jane Doe covers city hall for the Gazette and has reported on the valley’s roads, bridges and ferries since 2015.</p></div>
        <section class="more-on-topic"><h2>More on this topic</h2><ul><li><a href="/a">Ferry service could return to the east bank</a></li></ul></section>
        <section class="talkbacks"><h3>Talkbacks (2)</h3><ol><li>About time! This bridge has been an eyesore, and a danger, for years now.</li></ol></section>
        <aside class="article__abonnement"><p>Did you like this article? Subscribe to support local reporting, from one euro a month, and read every story.</p></aside>
      </article>`);
    expect(text).toBe(`${P1}\n\n${P2}\n\n${P3}`);
  });

  it('rule 3: never removes the article body, even inside an element whose class says "related"', async () => {
    // The wrapper holds most of the page's paragraph text, so it stays although its class says "related".
    const wrapped = await textOf(`
      <div class="related-coverage">
        <article><p>${P1}</p><p>${P2}</p><p>${P3}</p><p>${P4}</p></article>
        <ul class="links"><li><a href="/b">Ferry service could return</a></li></ul>
      </div>`);
    expect(wrapped).toBe(`${P1}\n\n${P2}\n\n${P3}\n\n${P4}`);
    // Here the comments outweigh the article, but the wrapper holds the marked body (class "article-body"), so it stays.
    const comment = (i: number) => `<li><p>Comment ${i}: I have crossed that bridge twice a day for thirty years, and I will believe the repair when I see the lane open again.</p></li>`;
    const marked = await textOf(`
      <div class="promo-wrapper"><div class="article-body">${BODY}</div></div>
      <div class="discussion"><ol>${[1, 2, 3, 4, 5].map(comment).join('')}</ol></div>`);
    expect(marked.startsWith(`${P1}\n\n${P2}\n\n${P3}`)).toBe(true);
  });

  it('rule 4: trims the article header to its standfirst (kicker, signature, date line and share links go)', async () => {
    const doc = await importFile(
      'header.html',
      page(
        `<article>
          <header class="article__header">
            <p class="article__surtitre">Local democracy</p>
            <h1 class="article__titre">Bridge to be repaired by autumn</h1>
            <p class="article__chapo">The council has found the money for the work, and the east bank will get a ferry in the meantime.</p>
            <div class="article__infos">
              <p class="article__signature">By Claire Dubois</p>
              <p class="article__date">Published <time datetime="2024-02-07T06:00:00+01:00">7 February 2024 at 06:00</time>, updated at 11:24</p>
            </div>
            <ul class="partage"><li><a href="/s/fb">Share on Facebook</a></li><li><a href="/s/x">Share on X</a></li></ul>
          </header>
          <div class="article__corps">${BODY}</div>
        </article>`,
        '<meta name="author" content="Claire Dubois">',
      ),
    );
    expect(doc.text).toBe(`The council has found the money for the work, and the east bank will get a ferry in the meantime.\n\n${P1}\n\n${P2}\n\n${P3}`);
    expect(doc.csl.author).toEqual([{ given: 'Claire', family: 'Dubois' }]);
  });

  it('rule 4: keeps a standfirst set as a heading, drops the date line and a headline that repeats the title in Hebrew', async () => {
    const h1 = 'העירייה תפתח ספרייה ציבורית חדשה בשכונת הגפן';
    const sub = 'הספרייה, שתוקם במבנה בית הספר הישן, תכלול אגף לילדים וחדר לימוד שפתוח עד חצות';
    const he = [
      'מועצת העיר אישרה אמש פה אחד את הקמתה של ספרייה ציבורית חדשה בשכונת הגפן. הספרייה תוקם במבנה בית הספר היסודי הישן ברחוב התאנה, שעומד ריק מאז 2019.',
      'לפי התוכנית, הספרייה תכלול כ-40 אלף ספרים, אגף ייעודי לילדים ולנוער וחדר לימוד שיהיה פתוח לסטודנטים עד חצות. עלות הפרויקט מוערכת ב-12 מיליון שקלים.',
      'עבודות השיפוץ צפויות להתחיל בספטמבר ולהימשך כשנה וחצי. העירייה מתכננת לפתוח את הספרייה לקהל בתחילת 2026.',
    ];
    const doc = await importFile(
      'he.html',
      utf8(`<!doctype html><html lang="he" dir="rtl"><head><title>${h1} | חדשות העמק</title><meta property="og:title" content="${h1}"></head><body>
        <article>
          <div class="article-header">
            <h1 class="article-header__title">${h1}</h1>
            <h2 class="article-header__subtitle">${sub}</h2>
            <div class="author-line">מאת <a href="/author/dana-levi/">דנה לוי</a></div>
            <div class="article-header__date"><time datetime="2024-05-02T07:15:00+03:00">02.05.2024, 07:15</time></div>
          </div>
          <div class="article-body">${he.map((p) => `<p>${p}</p>`).join('')}</div>
        </article></body></html>`),
    );
    expect(doc.text).toBe([sub, ...he].join('\n\n'));
    expect(doc.csl.author).toEqual([{ given: 'דנה', family: 'לוי' }]); // Readability still reads the byline the pre-clean leaves to it
  });

  it('leaves the byline Readability reads where it is, so the author stays when its block goes', async () => {
    // The only byline Readability accepts is the "More by" link in the author box; the box goes, the link is left for Readability.
    const doc = await importFile(
      'bio.html',
      page(`<article><div class="entry-content">${BODY}</div>
        <div class="author-bio"><p>Jane Doe covers city hall for the Gazette and has reported on the valley’s roads, bridges and ferries since 2015.</p>
        <a class="author-link" href="/author/jdoe/">More by Jane Doe</a></div></article>`),
    );
    expect(doc.text).toBe(`${P1}\n\n${P2}\n\n${P3}`);
    expect(doc.csl.author).toEqual([{ given: 'Jane', family: 'Doe' }]);
  });

  it('keeps soft hyphens in the stored text, as the source writes them (matching drops them)', async () => {
    const text = await textOf(`<article><p>The library opened a reading room for inter&shy;disciplinary manuscript studies, which seats 24 readers.</p>${BODY}</article>`);
    expect(text.startsWith('The library opened a reading room for inter\u00ADdisciplinary manuscript studies, which seats 24 readers.')).toBe(true);
  });
});
