import { describe, expect, it } from 'vitest';
import type { MemoContent } from './model';
import { escapeHtml, exportFileName, memoToPrintHtml, safeLinkUrl } from './printHtml';

const text = (t: string, format = 0) => ({ type: 'text', text: t, format, version: 1 });
const p = (...children: object[]) => ({ type: 'paragraph', children, version: 1 });
const lq = (quoteId: string, snapshot = 'snap') => ({ type: 'linked-quote', version: 1, quoteId, sourceId: 's1', snapshot });
const doc = (...children: object[]): MemoContent => ({ root: { type: 'root', children: children as MemoContent['root']['children'] } });

function body(html: string): string {
  return html.slice(html.indexOf('<article>'), html.indexOf('</body>'));
}

describe('memoToPrintHtml', () => {
  const base = {
    title: 'Memo <One>',
    quotes: new Map([
      ['q1', { exact: '“There is no merit to these claims,”', speaker: 'Amazon <spokesperson>' }],
      ['q2', { exact: 'It will kill Parler’s business—at the very time' }],
    ]),
    citations: [
      { html: '(<i>Parler</i>, 2021)', text: '(Parler, 2021)' },
      { html: '(<i>Parler</i>, 2021b)', text: '(Parler, 2021b)' },
    ],
    bibliography: [{ html: '<div class="csl-entry">Parler. (2021).</div>', text: 'Parler. (2021).' }],
    bibliographyHeading: 'References',
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
    const citations = [
      { html: '', text: '' },
      { html: '(A)', text: '(A)' },
    ];
    const out = body(memoToPrintHtml({ ...base, content: doc(lq('gone', 'Old <text>'), lq('q1')), citations }));
    expect(out).toContain('<blockquote class="linked-quote missing"><p dir="auto">Old &lt;text&gt;</p><p class="missing-note">[This quote is no longer in the library.]</p></blockquote>');
    expect(out).toContain('“There is no merit to these claims,” <span class="citation">(A)</span>');
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
    [42, null],
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
  ])('exportFileName(%j) is %j', (title, expected) => {
    expect(exportFileName(title, '.pdf')).toBe(expected);
  });
});
