import { describe, expect, it } from 'vitest';
import type { MemoContent } from './model';
import { createHash } from 'node:crypto';
import { escapeHtml, exportFileName, memoToPrintHtml, PAGED_CONFIG_SCRIPT, PAGED_CONFIG_SHA256, safeLinkUrl, withSafeLinks } from './printHtml';

const text = (t: string, format = 0) => ({ type: 'text', text: t, format, version: 1 });
const p = (...children: object[]) => ({ type: 'paragraph', children, version: 1 });
/** The store's text of the quotes below; a linked quote's snapshot is that text unless a test says otherwise (else it would be marked as drifted). */
const EXACT: Record<string, string> = { q1: '“There is no merit to these claims,”', q2: 'It will kill Parler’s business—at the very time' };
const lq = (quoteId: string, snapshot = EXACT[quoteId] ?? 'snap') => ({ type: 'linked-quote', version: 1, quoteId, sourceId: 's1', snapshot });
const doc = (...children: object[]): MemoContent => ({ root: { type: 'root', children: children as MemoContent['root']['children'] } });

function body(html: string): string {
  return html.slice(html.indexOf('<article>'), html.indexOf('</body>'));
}

describe('memoToPrintHtml', () => {
  const base = {
    title: 'Memo <One>',
    quotes: new Map([
      ['q1', { exact: EXACT.q1!, speaker: 'Amazon <spokesperson>' }],
      ['q2', { exact: EXACT.q2! }],
    ]),
    cites: [
      { html: '(<i>Parler</i>, 2021)', text: '(Parler, 2021)', noteNumber: null },
      { html: '(<i>Parler</i>, 2021b)', text: '(Parler, 2021b)', noteNumber: null },
    ],
    bibliography: [{ html: '<div class="csl-entry">Parler. (2021).</div>', text: 'Parler. (2021).' }],
    bibliographyHeading: 'References',
    noteStyle: false,
    notePlacement: 'footnotes' as const,
  };

  it('prints the title, paragraphs and each linked quote with its citation, in document order', () => {
    const html = memoToPrintHtml({ ...base, content: doc(p(text('Before.')), lq('q1'), p(text('Between.')), lq('q2'), p(text('After.'))) });
    expect(html).toContain('<title>Memo &lt;One&gt;</title>');
    expect(body(html)).toBe(
      '<article>\n<h1 class="memo-title">Memo &lt;One&gt;</h1>\n' +
        '<p dir="auto">Before.</p>\n' +
        '<blockquote class="linked-quote"><p dir="auto">“There is no merit to these claims,” <span class="citation">(<i>Parler</i>, 2021)</span></p><p class="speaker" dir="auto">— Amazon &lt;spokesperson&gt;</p></blockquote>\n' +
        '<p dir="auto">Between.</p>\n' +
        '<blockquote class="linked-quote"><p dir="auto">It will kill Parler’s business—at the very time <span class="citation">(<i>Parler</i>, 2021b)</span></p></blockquote>\n' +
        '<p dir="auto">After.</p>\n' +
        '</article>\n' +
        '<section class="references"><h2>References</h2>\n<div class="csl-entry">Parler. (2021).</div></section>\n',
    );
  });

  it('escapes text, keeps formats, and links only http, https and mailto', () => {
    const content = doc(
      p(text('<b>not bold</b> & ', 0), text('bold', 1), text(' '), text('it', 2), text('u', 8)),
      p({ type: 'link', url: 'javascript:alert(1)', children: [text('bad link')] }, text(' '), { type: 'link', url: 'https://example.org/?a=1&b="2"', children: [text('good')] }),
      { type: 'heading', tag: 'h1', children: [text('Section')] },
      { type: 'list', listType: 'number', start: 3, children: [{ type: 'listitem', children: [text('three')] }] },
    );
    const out = body(memoToPrintHtml({ ...base, content, bibliography: [] }));
    expect(out).toContain('<p dir="auto">&lt;b&gt;not bold&lt;/b&gt; &amp; <strong>bold</strong> <em>it</em><u>u</u></p>');
    expect(out).toContain('<p dir="auto">bad link <a href="https://example.org/?a=1&amp;b=%222%22">good</a></p>');
    expect(out).toContain('<h2 dir="auto">Section</h2>'); // memo h1 prints one level below the title
    expect(out).toContain('<ol start="3"><li>three</li></ol>');
    expect(out).not.toContain('javascript:');
    expect(out).not.toContain('References');
  });

  it('marks a linked quote whose quote was deleted, showing its snapshot, and gives it no citation', () => {
    const cites = [null, { html: '(A)', text: '(A)', noteNumber: null }];
    const out = body(memoToPrintHtml({ ...base, content: doc(lq('gone', 'Old <text>'), lq('q1')), cites }));
    expect(out).toContain('<blockquote class="linked-quote missing"><p dir="auto">Old &lt;text&gt;</p><p class="missing-note">[This quote is no longer in the library.]</p></blockquote>');
    expect(out).toContain('“There is no merit to these claims,” <span class="citation">(A)</span>');
  });

  describe('shortened and marked quotes', () => {
    const SPOKE = '“There is no merit to these claims,”';
    const STRAIGHT = '"There is no merit to these claims,"';
    const lq2 = (quoteId: string, snapshot: string, shortened: string | null) => ({ type: 'linked-quote', version: 2, quoteId, sourceId: 's1', snapshot, shortened });
    const one = (quote: { exact: string; speaker?: string; anchorStatus?: 'anchored' | 'changed' | 'orphaned' }, node: object, cites = [base.cites[0]!]) =>
      body(memoToPrintHtml({ ...base, quotes: new Map([['q1', quote]]), cites, bibliography: [], content: doc(node) })).replace('<article>\n<h1 class="memo-title">Memo &lt;One&gt;</h1>\n', '').replace('</article>\n', '');
    const CITE = ' <span class="citation">(<i>Parler</i>, 2021)</span>';

    it('prints a shortened quote as shortened, its ellipses written “…”', () => {
      expect(one({ exact: SPOKE }, lq2('q1', SPOKE, '“There is no merit...claims,”'))).toBe(`<blockquote class="linked-quote shortened"><p dir="auto">“There is no merit … claims,”${CITE}</p></blockquote>\n`);
    });

    it('prints the full text when the shortening no longer fits it', () => {
      expect(one({ exact: SPOKE }, lq2('q1', SPOKE, '“There is no basis …'))).toBe(`<blockquote class="linked-quote"><p dir="auto">${SPOKE}${CITE}</p></blockquote>\n`);
    });

    it('prints a drifted quote’s current text with a dagger and a note', () => {
      expect(one({ exact: STRAIGHT, speaker: 'Amazon spokesperson' }, lq2('q1', SPOKE, null))).toBe(
        '<blockquote class="linked-quote drift"><p dir="auto">&quot;There is no merit to these claims,&quot;<sup class="integrity-mark">†</sup>' +
          CITE +
          '</p><p class="speaker" dir="auto">— Amazon spokesperson</p><p class="integrity-note" dir="auto">† Text changed in the source since it was quoted; the current text is given.</p></blockquote>\n',
      );
    });

    it('keeps a drifted quote shortened when the shortening fits the new text, and drops it when not', () => {
      expect(one({ exact: STRAIGHT }, lq2('q1', SPOKE, '… no merit …'))).toBe(
        `<blockquote class="linked-quote shortened drift"><p dir="auto">… no merit …<sup class="integrity-mark">†</sup>${CITE}</p><p class="integrity-note" dir="auto">† Text changed in the source since it was quoted; the current text is given.</p></blockquote>\n`,
      );
      expect(one({ exact: STRAIGHT }, lq2('q1', SPOKE, '“There is no merit …'))).toBe(
        `<blockquote class="linked-quote drift"><p dir="auto">&quot;There is no merit to these claims,&quot;<sup class="integrity-mark">†</sup>${CITE}</p><p class="integrity-note" dir="auto">† Text changed in the source since it was quoted; the current text is given.</p></blockquote>\n`,
      );
    });

    it('marks a quote whose source changed its wording, or lost the passage', () => {
      expect(one({ exact: SPOKE, anchorStatus: 'changed' }, lq2('q1', SPOKE, null))).toBe(
        `<blockquote class="linked-quote changed"><p dir="auto">${SPOKE}<sup class="integrity-mark">†</sup>${CITE}</p><p class="integrity-note" dir="auto">† The source now words this passage differently; the quoted text is given.</p></blockquote>\n`,
      );
      expect(one({ exact: SPOKE, anchorStatus: 'orphaned' }, lq2('q1', SPOKE, '“There is no merit …'))).toBe(
        `<blockquote class="linked-quote shortened orphaned"><p dir="auto">“There is no merit …<sup class="integrity-mark">†</sup>${CITE}</p><p class="integrity-note" dir="auto">† This passage is no longer found in the source; the quoted text is given.</p></blockquote>\n`,
      );
      expect(one({ exact: SPOKE, anchorStatus: 'anchored' }, lq2('q1', SPOKE, null))).toBe(`<blockquote class="linked-quote"><p dir="auto">${SPOKE}${CITE}</p></blockquote>\n`);
    });

    it('gives a drifted quote whose source changed again one dagger and only the changed note (the drift note would contradict it)', () => {
      expect(one({ exact: STRAIGHT, anchorStatus: 'changed' }, lq2('q1', SPOKE, null))).toBe(
        '<blockquote class="linked-quote drift changed"><p dir="auto">&quot;There is no merit to these claims,&quot;<sup class="integrity-mark">†</sup>' +
          CITE +
          '</p><p class="integrity-note" dir="auto">† The source now words this passage differently; the quoted text is given.</p></blockquote>\n',
      );
    });

    it('puts the dagger before a note number in a note style', () => {
      const html = body(memoToPrintHtml({ ...base, quotes: new Map([['q1', { exact: STRAIGHT }]]), cites: [cite('Paul, “Parler Sues Amazon.”', 1)], noteStyle: true, notePlacement: 'endnotes', content: doc(lq2('q1', SPOKE, null)) }));
      expect(html).toContain('<p dir="auto">&quot;There is no merit to these claims,&quot;<sup class="integrity-mark">†</sup><sup class="note-ref">1</sup></p>');
    });

    it('prints a deleted quote’s shortening, as the memo showed it', () => {
      expect(one({ exact: SPOKE }, lq2('gone', SPOKE, '… these claims,”'), [null as never])).toBe(
        '<blockquote class="linked-quote missing"><p dir="auto">… these claims,”</p><p class="missing-note">[This quote is no longer in the library.]</p></blockquote>\n',
      );
    });
  });

  const cite = (text: string, noteNumber: number) => ({ html: `<i>${text}</i>`, text, noteNumber });
  const citeNode = (sourceId: string) => ({ type: 'citation', version: 1, sourceId, locator: '3', label: 'page', prefix: '', suffix: '' });

  it('prints a plain citation inline in an in-text style, in document order with the quotes', () => {
    const cites = [{ html: '(Doe, 2020, p. 3)', text: '(Doe, 2020, p. 3)', noteNumber: null }, base.cites[0]!];
    const out = body(memoToPrintHtml({ ...base, cites, content: doc(p(text('As argued'), citeNode('s2'), text('.')), lq('q1')) }));
    expect(out).toContain('<p dir="auto">As argued <span class="citation">(Doe, 2020, p. 3)</span>.</p>');
    expect(out).toContain('“There is no merit to these claims,” <span class="citation">(<i>Parler</i>, 2021)</span>');
  });

  it('in a note style with endnotes, marks each cite with its number and lists the notes before the bibliography', () => {
    const cites = [cite('Doe, Title, 3.', 1), cite('Ibid.', 2)];
    const out = body(memoToPrintHtml({ ...base, cites, noteStyle: true, notePlacement: 'endnotes', bibliographyHeading: 'Bibliography', content: doc(p(text('Claim'), citeNode('s2')), lq('q1')) }));
    expect(out).toContain('<p dir="auto">Claim<sup class="note-ref">1</sup></p>');
    expect(out).toContain('“There is no merit to these claims,”<sup class="note-ref">2</sup>');
    expect(out).toContain('<section class="notes"><h2>Notes</h2>\n<ol><li value="1"><i>Doe, Title, 3.</i></li>\n<li value="2"><i>Ibid.</i></li></ol></section>\n<section class="references"><h2>Bibliography</h2>');
    expect(out).not.toMatch(/<script/);
  });

  it('in a note style with footnotes, puts each note in the text for Paged.js and allows only the two hashed scripts', () => {
    const pagedJs = { source: 'window.fake = 1;', sha256: 'HASH=' };
    const html = memoToPrintHtml({ ...base, cites: [cite('Doe, Title, 3.', 1)], noteStyle: true, notePlacement: 'footnotes', pagedJs, content: doc(p(text('Claim'), citeNode('s2'))) });
    expect(body(html)).toContain('<p dir="auto">Claim<span class="footnote"><span class="footnote-number">1.</span> <i>Doe, Title, 3.</i></span></p>');
    expect(html).toContain(`script-src 'sha256-HASH=' 'sha256-${PAGED_CONFIG_SHA256}';`);
    expect(html).toContain(`<script>${PAGED_CONFIG_SCRIPT}</script>\n<script>window.fake = 1;</script>`);
    expect(html.match(/<script>/g)).toHaveLength(2);
    expect(() => memoToPrintHtml({ ...base, cites: [], noteStyle: true, notePlacement: 'footnotes', content: doc() })).toThrow(/Paged\.js/);
  });

  it('states the right hash of the Paged.js start-up script', () => {
    expect(createHash('sha256').update(PAGED_CONFIG_SCRIPT, 'utf8').digest('base64')).toBe(PAGED_CONFIG_SHA256);
  });

  it('prints no bibliography heading for a style without a bibliography', () => {
    const out = body(memoToPrintHtml({ ...base, bibliographyHeading: null, content: doc(lq('q1')) }));
    expect(out).not.toContain('<section class="references">');
  });

  it('has no script and a CSP that forbids any', () => {
    const html = memoToPrintHtml({ ...base, content: doc(p(text('<script>alert(1)</script>'))) });
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
  });
});

describe('helpers', () => {
  it('escapeHtml escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it.each([
    ['https://example.org/x', 'https://example.org/x'],
    ['http://example.org', 'http://example.org/'],
    ['mailto:desk@example.org', 'mailto:desk@example.org'],
    ['javascript:alert(1)', null],
    ['JaVaScRiPt:alert(1)', null],
    ['data:text/html,<b>', null],
    ['file:///etc/passwd', null],
    ['/relative', null],
    ['//evil.example/x', null],
    ['example.org', null],
    ['java\tscript:alert(1)', null],
    ['java\nscript:alert(1)', null],
    ['\u0001javascript:alert(1)', null],
    [' javascript:alert(1)', null],
    ['vbscript:msgbox(1)', null],
    ['data:image/svg+xml,<svg onload=alert(1)>', null],
    ['tel:+15551234', null],
    ['sms:+15551234', null],
    ['ftp://example.org/', null],
    ['blob:https://example.org/uuid', null],
    ['verbatim://app/index.html', null],
    ['https://example.org/a"onmouseover="x', 'https://example.org/a%22onmouseover=%22x'],
    ['HTTPS://EXAMPLE.org/X', 'https://example.org/X'],
    [42, null],
    [null, null],
  ])('safeLinkUrl(%j) is %j', (input, expected) => {
    expect(safeLinkUrl(input)).toBe(expected);
  });

  it.each([
    ['Parler v. Amazon: first notes', 'Parler v. Amazon first notes.pdf'],
    ['../../etc/passwd', 'etc passwd.pdf'],
    ['a<b>c|d?e*f"g', 'a b c d e f g.pdf'],
    ['   ', 'Memo.pdf'],
    ['...', 'Memo.pdf'],
    ['x'.repeat(300), `${'x'.repeat(100)}.pdf`],
    ['invoice\u202Efdp.exe', 'invoice fdp.exe.pdf'],
    ['..', 'Memo.pdf'],
    ['../', 'Memo.pdf'],
    ['..\\..\\Windows\\System32\\evil', 'Windows System32 evil.pdf'],
    ['/etc/cron.d/job', 'etc cron.d job.pdf'],
    ['C:\\Users\\me\\x', 'C Users me x.pdf'],
    ['\\\\server\\share\\x', 'server share x.pdf'],
    ['a\u0000b\nc\td\u001be\u007ff\u0085g', 'a b c d e f g.pdf'],
    ['report\u2067\u2066gpj.exe', 'report gpj.exe.pdf'],
    ['x\u200By\uFEFFz\u061Cw', 'x y z w.pdf'],
    ['CON', 'CON_.pdf'],
    ['con', 'con_.pdf'],
    ['NUL', 'NUL_.pdf'],
    ['Aux', 'Aux_.pdf'],
    ['COM1', 'COM1_.pdf'],
    ['lpt9', 'lpt9_.pdf'],
    ['CON.txt', 'CON_.txt.pdf'],
    ['nul.tar', 'nul_.tar.pdf'],
    ['Console notes', 'Console notes.pdf'],
    ['COM10', 'COM10.pdf'],
    ['notes. . .', 'notes.pdf'],
    ['trailing dots...   ', 'trailing dots.pdf'],
    ['.hidden', 'hidden.pdf'],
    ['x'.repeat(99) + '😀tail', `${'x'.repeat(99)}.pdf`],
    ['x'.repeat(98) + '😀tail', `${'x'.repeat(98)}😀.pdf`],
    ['a'.repeat(99) + ' .b', `${'a'.repeat(99)}.pdf`],
    ['Cafe\u0301 notes', 'Café notes.pdf'],
  ])('exportFileName(%j) is %j', (title, expected) => {
    expect(exportFileName(title, '.pdf')).toBe(expected);
  });

  it('exportFileName keeps every hostile title a single, short, visible file name', () => {
    const hostile = ['../../../../etc/passwd', '..\\..\\boot.ini', 'CON', 'a/b\\c', '\u202Efdp.exe', '\u0000', ' . ', 'LPT1.log', '💥'.repeat(200)];
    for (const title of hostile) {
      for (const ext of ['.pdf', '.bib', '.ris', '.json']) {
        const name = exportFileName(title, ext);
        expect(name.endsWith(ext), name).toBe(true);
        expect(name, title).not.toMatch(/[\/\\<>:"|?*\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
        expect(name.startsWith('.'), name).toBe(false);
        expect(name.slice(0, -ext.length).length, name).toBeLessThanOrEqual(100);
        expect(name.slice(0, -ext.length).split('.')[0]!, name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
        expect(name.isWellFormed(), name).toBe(true);
      }
    }
  });
});

describe('withSafeLinks', () => {
  const link = (url: string, ...children: object[]) => ({ type: 'link', url, version: 1, children });
  const auto = (url: string, ...children: object[]) => ({ type: 'autolink', url, version: 1, children });

  it('returns the same object when every link is safe or there are none', () => {
    const content = doc(p(text('a'), link('https://example.org/', text('x')), auto('mailto:a@example.org', text('m'))));
    expect(withSafeLinks(content)).toBe(content);
    const none = doc(p(text('plain')));
    expect(withSafeLinks(none)).toBe(none);
  });

  it('replaces an unsafe link by its words, anywhere in the tree, and leaves the input alone', () => {
    const content = doc(
      p(text('see '), link('javascript:alert(1)', text('this'), text(' now', 1)), text('.')),
      { type: 'list', listType: 'bullet', children: [{ type: 'listitem', children: [auto('data:text/html,<script>alert(1)</script>', text('d'))] }] },
      { type: 'heading', tag: 'h2', children: [link('https://ok.example/', text('ok')), link('tel:123', text('call'))] },
      p(link('file:///etc/passwd', link('javascript:x', text('nested'))), link('/relative', text('rel'))),
    );
    const before = JSON.stringify(content);
    expect(withSafeLinks(content)).toEqual(
      doc(
        p(text('see '), text('this'), text(' now', 1), text('.')),
        { type: 'list', listType: 'bullet', children: [{ type: 'listitem', children: [text('d')] }] },
        { type: 'heading', tag: 'h2', children: [link('https://ok.example/', text('ok')), text('call')] },
        p(text('nested'), text('rel')),
      ),
    );
    expect(JSON.stringify(content)).toBe(before);
  });

  it('treats a link without a string URL as unsafe', () => {
    expect(withSafeLinks(doc(p({ type: 'link', children: [text('x')] }), p({ type: 'link', url: 5, children: [text('y')] })))).toEqual(doc(p(text('x')), p(text('y'))));
  });
});

describe('links in the print HTML', () => {
  it.each(['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'java\tscript:alert(1)', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'vbscript:x', 'file:///etc/passwd', 'tel:1', '/relative', 'verbatim://app/'])('prints a %j link as its words only', (url) => {
    const base = { title: 'T', styleTitle: 'S', quotes: new Map(), cites: [], bibliography: [], lang: 'en-US' };
    const out = body(memoToPrintHtml({ ...base, content: doc(p({ type: 'link', url, children: [text('words')] }), p({ type: 'autolink', url, children: [text('auto')] })) } as never));
    expect(out).toContain('<p dir="auto">words</p>');
    expect(out).toContain('<p dir="auto">auto</p>');
    expect(out).not.toContain('<a ');
    expect(out).not.toContain('href');
  });
});
