import fs from 'node:fs';
import path from 'node:path';
import { Readability } from '@mozilla/readability';
import { describe, expect, it } from 'vitest';
import { parseHtml } from './html';
import { classWords, dropRepeatedHeadline, precleanForReadability, readabilityBylineNode } from './preclean';

const PAGES = path.join(__dirname, '..', 'corpus', 'pages');

function withDocument<T>(html: string, fn: (doc: Document) => T): T {
  const dom = parseHtml(html);
  try {
    return fn(dom.window.document);
  } finally {
    dom.window.close();
  }
}

describe('classWords', () => {
  it('cuts class names and the id into words, dropping BEM modifiers and has-/tag- names', () => {
    withDocument('<div id="shareButtons" class="article__abonnement share-bar--sticky has-comments tag-social-media"></div>', (doc) => {
      expect(classWords(doc.querySelector('div')!)).toEqual([['article', 'abonnement'], ['share', 'bar'], ['share', 'buttons']]);
    });
  });

  it('does not take an element for a comments or social block for what it has or is tagged with', () => {
    const comment = '<li><p>I have crossed that bridge twice a day for thirty years, and I will believe the repair when I see the lane open again.</p></li>';
    withDocument(
      `<body><div class="post has-comments tag-social-media"><p>The council voted on Thursday to repair the old stone bridge.</p></div><ol class="discussion">${comment.repeat(4)}</ol></body>`,
      (doc) => {
        expect(precleanForReadability(doc).blocks).toBe(0);
        expect(doc.querySelector('.post')).not.toBeNull();
      },
    );
  });
});

describe('the guard', () => {
  it('keeps a wrapper named like a share block when it holds the headline, though the comments outweigh the article', () => {
    const comment = '<li><p>I have crossed that bridge twice a day for thirty years, and I will believe the repair when I see the lane open again.</p></li>';
    withDocument(
      `<body><div class="share-wrapper"><h1>Bridge to be repaired by autumn</h1><p>The council voted on Thursday to repair the old stone bridge.</p><div class="share-bar"><a href="/s">Share</a></div></div>
        <ol class="discussion">${comment.repeat(4)}</ol></body>`,
      (doc) => {
        expect(precleanForReadability(doc).blocks).toBe(1); // the share bar inside it, not the wrapper
        expect(doc.querySelector('.share-wrapper p')?.textContent).toBe('The council voted on Thursday to repair the old stone bridge.');
        expect(doc.querySelector('.share-bar')).toBeNull();
      },
    );
  });
});

describe('dropRepeatedHeadline', () => {
  it('removes a leading h1 or h2 that repeats the title, and nothing else', () => {
    withDocument('<div><h2>העירייה תפתח ספרייה</h2><p>Text.</p><h2>העירייה תפתח ספרייה</h2></div>', (doc) => {
      const root = doc.querySelector('div')!;
      expect(dropRepeatedHeadline(root, ' העירייה  תפתח ספרייה ')).toBe(true);
      expect(root.innerHTML).toBe('<p>Text.</p><h2>העירייה תפתח ספרייה</h2>'); // only the first, before any text
      expect(dropRepeatedHeadline(root, 'העירייה תפתח ספרייה')).toBe(false);
    });
    withDocument('<div><h2>Another heading</h2><p>Text.</p></div>', (doc) => {
      expect(dropRepeatedHeadline(doc.querySelector('div')!, 'The title')).toBe(false);
    });
  });
});

describe('the pre-clean and Readability’s metadata', () => {
  const names = fs.readdirSync(PAGES).filter((f) => f.endsWith('.html'));

  it.each(names)('%s: Readability reads the same title and byline with and without the pre-clean', (name) => {
    withDocument(fs.readFileSync(path.join(PAGES, name), 'utf8'), (doc) => {
      const plain = new Readability(doc.cloneNode(true) as Document, { charThreshold: 100 }).parse();
      const clone = doc.cloneNode(true) as Document;
      precleanForReadability(clone);
      const cleaned = new Readability(clone, { charThreshold: 100 }).parse();
      expect([cleaned?.title, cleaned?.byline]).toEqual([plain?.title, plain?.byline]);
    });
  });

  it('finds the element Readability reads the byline from, past the ones it drops first', () => {
    withDocument(
      `<body><header class="site-header"><span class="author">Site Team</span></header>
        <div style="display:none"><span class="byline">Hidden Writer</span></div>
        <article><p class="byline">By Jane Doe</p><p>The council voted on Thursday to repair the old stone bridge, which has been closed to cars since the spring floods damaged two of its piers.</p></article></body>`,
      (doc) => {
        expect(readabilityBylineNode(doc)?.textContent).toBe('By Jane Doe');
        expect(new Readability(doc.cloneNode(true) as Document, { charThreshold: 20 }).parse()?.byline).toBe('By Jane Doe');
      },
    );
  });
});
