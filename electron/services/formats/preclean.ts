/**
 * A careful clean of a web page before Mozilla Readability reads it, and one small fix
 * after. Readability finds the article well but has no rules for some page chrome, so
 * skip links, breadcrumbs, ad labels, share bars, related and comment blocks and the
 * article header's kicker and date line ended up in imported texts (the misses the
 * corpus test in ../corpus recorded). The rules below remove those before Readability
 * scores the page, on the importer's clone of the document (the page's own DOM, which
 * the metadata is read from, is not touched). A false removal loses article text, which
 * is worse than an extra line, so every rule is narrow and all of them are guarded.
 *
 * The rules, in the order they run (each removes whole elements; only screen-reader
 * text can sit inside a paragraph, and it is not on the page a reader sees; the one
 * other change is the retag at the end of rule 4):
 *
 * 1. Navigation chrome: `<nav>`, `role="navigation"`, skip links (an `<a>` whose class
 *    or id words say skip, e.g. WordPress's `a.skip-link` "Skip to content", "Zum Inhalt
 *    springen"), text for screen readers only (`screen-reader-text`, `sr-only`,
 *    `visually-hidden`, Drupal's `element-invisible`: a sighted reader never sees it, so
 *    it cannot be quoted) and dialogs (`role="dialog"` / `"alertdialog"`,
 *    `aria-modal="true"`: consent banners). Cases: WordPress, where Readability took the
 *    wide `#page` wrapper and "Skip to content" opened the text; a `<nav class="breadcrumb">`
 *    (Readability only knows "breadcrumbs") that opened a German article.
 * 2. Label-only ad slots: a `<div>`, `<section>`, `<aside>`, `<ins>` or `<figure>` whose
 *    whole text is an ad label ("Advertisement", "Anzeige", "Werbung", "Publicité",
 *    "Publicidad", "Pubblicità", "Reklame", "Реклама", "פרסומת", "إعلان", "广告", ...).
 *    Readability turns such a `<div>` into a `<p>`, which its own ad-word check never
 *    sees. Paragraphs, headings, list items and table cells, and slots inside them, are
 *    never taken for labels (an article about advertising may have a heading, a list
 *    item or a table row "Advertising"), nor is a word inside a sentence.
 * 3. Blocks named as not the article: a `<div>`, `<section>`, `<aside>`, `<ul>`, `<ol>`,
 *    `<dl>`, `<header>`, `<footer>` or `<form>` whose class or id words (see
 *    {@link classWords}) include one of {@link BLOCK_WORDS}: share / social, related /
 *    "more on topic", newsletter / subscribe, comments / talkbacks / reactions, author
 *    bio / box, promo (names that say what an element has or is tagged with, such as
 *    `has-comments` or WordPress's `tag-social-media`, do not count). Cases: "more-on-topic", "talkbacks", "author-bio",
 *    "newspack-newsletters-subscribe-block" (not in Readability's unlikely-candidate
 *    words), "related-articles" (which Readability keeps because it says "article"), and
 *    an `<aside class="article__abonnement">` that Readability appended to the article as
 *    a sibling and renamed to `<div>` before its own aside rule ran.
 * 4. The article's own header (a `<header>` inside `<article>` or `<main>`, or an element
 *    named "article-header", "article__header", "entry-header", "post-header",
 *    "story-header" or "article-head"): its kicker (class words
 *    kicker, surtitre, overline, eyebrow, dachzeile), byline and signature blocks (byline,
 *    author, signature, auteur, autor), and its date line (the nearest block around a
 *    `<time>` when little else is in it, e.g. "Publié le 7 février 2024 à 06h00, modifié
 *    à 11h24" or "14.03.2024, 18:30 Uhr · 4 Min. Lesezeit"; or a short block whose class
 *    says date, dateline, timestamp, published) are removed, each only when short
 *    ({@link HEADER_PART_MAX_CHARS}). Everything else in it stays, so the standfirst
 *    ("chapo", "teaser", a subtitle `<h2>`) and a lead image's caption are kept. Share
 *    links in it go by rule 3. A header left with text only in headings (the headline and
 *    a standfirst set as `<h2>`) becomes a `<section>`: Readability drops a `<div>` with
 *    no text outside headings ("no useful content") and turns a sibling it appends into a
 *    `<div>` unless it is a section, article, p or list, so the standfirst would go.
 *    Cases: French, German and Hebrew pages whose article header Readability kept because
 *    its class says "article".
 *
 * What no rule removes (checked for every element before it goes, see {@link Guard}):
 * - an element that is, or contains, the article body: a class or id that says
 *   article-body, article__body, article-content, entry-content, post-content,
 *   post-body, story-body or articleBody, `itemprop="articleBody"`, a `<main>` or
 *   `role="main"`;
 * - an element holding the article's headline (the first `<h1>` in `<article>` or
 *   `<main>`, else the page's first `<h1>`): a wrapper around the whole post;
 * - an element holding half or more of the page's paragraph text (of the text in `<p>`
 *   elements; of all the body's text on pages with little in `<p>`): an article whose
 *   wrapper's class happens to say "related" or "social" stays;
 * - the element Readability would read the byline from (the first one its byline rule
 *   accepts, see {@link readabilityBylineNode}): when a rule removes an element holding
 *   it, it is left in that element's place. Readability reads the author from it and
 *   removes it itself, so the pre-clean never changes the author Readability reads.
 *
 * After Readability: {@link dropRepeatedHeadline} removes a heading at the very start of
 * the article that repeats its title, which Readability's own check misses in scripts its
 * word splitting does not see as words (Hebrew, Arabic, CJK).
 *
 * Runs under plain Node on a jsdom document; never imports 'electron'.
 */

/** Readability's regular expressions (0.6.0) that the byline mirror below needs. */
const RD_BYLINE = /byline|author|dateline|writtenby|p-author/i;
const RD_UNLIKELY =
  /-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote/i;
const RD_OK_MAYBE = /and|article|body|column|content|main|shadow/i;
const RD_UNLIKELY_ROLES = new Set(['menu', 'menubar', 'complementary', 'navigation', 'alert', 'alertdialog', 'dialog']);

/** Rule 1: navigation and dialogs, by element and role. */
const CHROME_SELECTOR = 'nav, [role="navigation"], [role="dialog"], [role="alertdialog"], [aria-modal="true"]';

/** Rule 1: class or id words of skip links (on `<a>`) and of text for screen readers only. */
const SKIP_LINK_WORDS = [['skip'], ['skiplink'], ['skip', 'link'], ['skip', 'to', 'content'], ['skip', 'main']];
const SCREEN_READER_WORDS = [['screen', 'reader', 'text'], ['screen', 'reader', 'only'], ['sr', 'only'], ['visually', 'hidden'], ['visuallyhidden'], ['element', 'invisible']];

/** Rule 2: an ad slot's label in common languages, alone (with punctuation or spaces around it at most). */
const AD_LABEL =
  /^[\s\p{P}]*(?:advertisement|advertising|ad|ads|anzeige|werbung|publicité|publicidad|publicidade|pubblicità|reclame|reklame|advertentie|annons|annonse|mainos|reklama|реклама|פרסומת|إعلان|广告|廣告|広告|광고)[\s\p{P}]*$/iu;
/** No ad label is longer than this (besides white space and punctuation); longer texts are not read to the end. */
const AD_LABEL_MAX_CHARS = 40;
const AD_SLOT_TAGS = new Set(['DIV', 'SECTION', 'ASIDE', 'INS', 'FIGURE']);
/** Rule 2 never takes a label inside these: a list of industries or a table of budget lines may say "Advertising". */
const NOT_AD_CONTEXT = 'li, dd, dt, td, th, caption, h1, h2, h3, h4, h5, h6, p';

/**
 * Rule 3: class or id words (as word sequences, see {@link classWords}) that name a block
 * as something beside the article rather than the article.
 */
const BLOCK_WORDS = [
  // share and social buttons
  'share', 'shares', 'sharing', 'sharedaddy', 'social', 'partage',
  // related links
  'related', 'more on topic',
  // newsletter and subscription pitches
  'newsletter', 'newsletters', 'subscribe', 'abonnement',
  // comments
  'comments', 'talkback', 'talkbacks', 'reactions', 'disqus',
  // the author's biography box
  'author bio', 'author box', 'about author', 'about the author',
  // promotions
  'promo', 'promos',
].map((phrase) => phrase.split(' '));
const BLOCK_TAGS = new Set(['DIV', 'SECTION', 'ASIDE', 'UL', 'OL', 'DL', 'HEADER', 'FOOTER', 'FORM']);

/** Rule 4: the article's header, and the parts of it that are not article text. */
const HEADER_SELECTOR = 'article header, main header, [class], [id]';
const HEADER_WORDS = [['article', 'header'], ['article', 'head'], ['entry', 'header'], ['post', 'header'], ['story', 'header']];
const KICKER_WORDS = [['kicker'], ['surtitre'], ['overline'], ['eyebrow'], ['dachzeile']];
const BYLINE_WORDS = [['byline'], ['author'], ['authors'], ['signature'], ['auteur'], ['autor']];
const DATE_WORDS = [['date'], ['dateline'], ['timestamp'], ['published'], ['pubdate']];
/** A header part (kicker, byline, date line) longer than this is not taken for one: it may be the standfirst. */
export const HEADER_PART_MAX_CHARS = 150;
/** A block around a `<time>` is a date line when its text besides the time's is at most this long ("Publié le …, modifié à 11h24"). */
const DATE_LINE_EXTRA_CHARS = 50;

/** Class and id words that mark the article body (rule "what no rule removes"). */
const BODY_MARK = /article[-_]*body|article[-_]*content|entry[-_]*content|post[-_]*content|post[-_]*body|story[-_]*body/i;
const BLOCK_LEVEL = new Set(['P', 'DIV', 'LI', 'DD', 'DT', 'SECTION', 'ARTICLE', 'ASIDE', 'HEADER', 'FOOTER', 'FIGURE', 'FIGCAPTION', 'BLOCKQUOTE', 'TD', 'TH', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'UL', 'OL', 'DL']);

/** What {@link precleanForReadability} removed, by rule (for tests and for reading a page's import). */
export interface PrecleanReport {
  chrome: number;
  adLabels: number;
  blocks: number;
  headerParts: number;
}

/**
 * The words of an element's class names and id, one list per name: each name is cut at
 * `-`, `_` and lower-to-upper case changes and lower-cased ("article__abonnement" →
 * article, abonnement; "shareButtons" → share, buttons). A BEM modifier (after `--`) is
 * dropped, and names that say what the element has or is tagged with rather than what it
 * is (`has-`, `with-`, `no-`, `is-`, WordPress's `tag-` and `category-` slugs) are skipped:
 * `<article class="tag-social-media has-comments">` is not a social or comments block.
 */
export function classWords(el: Element): string[][] {
  const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`.split(/\s+/).filter(Boolean);
  const out: string[][] = [];
  for (const name of names) {
    if (/^(?:has|with|no|is|tag|category)[-_]/i.test(name)) continue;
    const block = name.split('--')[0]!;
    const words = block
      .replace(/([a-z\d])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    if (words.length > 0) out.push(words);
  }
  return out;
}

/** True when one of the element's class or id names holds one of `phrases` as consecutive words (`whole`: is exactly one of them). */
function hasWords(el: Element, phrases: string[][], whole = false): boolean {
  for (const words of classWords(el)) {
    for (const phrase of phrases) {
      if (whole && words.length !== phrase.length) continue;
      for (let i = 0; i + phrase.length <= words.length; i += 1) {
        if (phrase.every((w, k) => words[i + k] === w)) return true;
      }
    }
  }
  return false;
}

/** The text a reader sees in an element: its text nodes outside script, style, noscript and template, white space collapsed, trimmed. */
function visibleText(el: Element): string {
  let out = '';
  const walk = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) out += child.nodeValue ?? '';
      else if (child.nodeType === 1 && !/^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/.test((child as Element).tagName)) walk(child);
    }
  };
  walk(el);
  return out.replace(/\s+/g, ' ').trim();
}

/** {@link visibleText} when it has at most `max` characters besides white space; null (found without reading the rest) when it has more. */
function shortText(el: Element, max: number): string | null {
  let out = '';
  let count = 0;
  const walk = (node: Node): boolean => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        const data = child.nodeValue ?? '';
        count += data.replace(/\s+/g, '').length;
        if (count > max) return false;
        out += data;
      } else if (child.nodeType === 1 && !/^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/.test((child as Element).tagName) && !walk(child)) return false;
    }
    return true;
  };
  return walk(el) ? out.replace(/\s+/g, ' ').trim() : null;
}

/** Length of the text in `<p>` elements at or under `el` (white space collapsed). */
function paragraphTextLength(el: Element): number {
  let n = el.tagName === 'P' ? visibleText(el).length : 0;
  for (const p of Array.from(el.getElementsByTagName('p'))) n += visibleText(p).length;
  return n;
}

/** Readability's own visibility test (_isProbablyVisible): it drops what fails it before anything else. */
function probablyVisible(el: Element): boolean {
  // Only an inline style can hide an element here (no style sheets are applied), and reading `style` parses it.
  const style = el.hasAttribute('style') ? ((el as HTMLElement).style as CSSStyleDeclaration | undefined) : undefined;
  const className = el.getAttribute('class') ?? '';
  return (
    (!style || style.display !== 'none') &&
    (!style || style.visibility !== 'hidden') &&
    !el.hasAttribute('hidden') &&
    (el.getAttribute('aria-hidden') !== 'true' || className.includes('fallback-image'))
  );
}

function hasAncestorTag(el: Element, tag: string): boolean {
  for (let p = el.parentElement; p; p = p.parentElement) if (p.tagName === tag) return true;
  return false;
}

/**
 * The element Readability (0.6) would read the byline from, found as its first pass walks
 * the page: in document order, skipping what it removes before it gets there (hidden
 * elements, modal dialogs, unlikely candidates and roles, with their content), the first
 * element with `rel="author"`, an `itemprop` with "author", or a class or id matching
 * "byline|author|dateline|writtenby|p-author", holding 1 to 99 characters of text.
 * (Readability uses it only when the page declares no author in its metadata; it is kept
 * either way.) Null when there is none.
 */
export function readabilityBylineNode(doc: Document): Element | null {
  const next = (el: Element, skipChildren: boolean): Element | null => {
    if (!skipChildren && el.firstElementChild) return el.firstElementChild;
    for (let cur: Element | null = el; cur; cur = cur.parentElement) {
      if (cur.nextElementSibling) return cur.nextElementSibling;
    }
    return null;
  };
  let node: Element | null = doc.documentElement;
  while (node) {
    const match = `${node.getAttribute('class') ?? ''} ${node.getAttribute('id') ?? ''}`;
    if (!probablyVisible(node) || (node.getAttribute('aria-modal') === 'true' && node.getAttribute('role') === 'dialog')) {
      node = next(node, true);
      continue;
    }
    const rel = node.getAttribute('rel');
    const itemprop = node.getAttribute('itemprop');
    if (rel === 'author' || (itemprop !== null && itemprop.includes('author')) || RD_BYLINE.test(match)) {
      const length = (node.textContent ?? '').trim().length;
      if (length > 0 && length < 100) return node;
    }
    const unlikely =
      RD_UNLIKELY.test(match) && !RD_OK_MAYBE.test(match) && !hasAncestorTag(node, 'TABLE') && !hasAncestorTag(node, 'CODE') && node.tagName !== 'BODY' && node.tagName !== 'A';
    node = next(node, unlikely || RD_UNLIKELY_ROLES.has(node.getAttribute('role') ?? ''));
  }
  return null;
}

/**
 * What may not be removed: the article body (by its marks, its headline, or by holding
 * half the page's paragraph text) and Readability's byline element (left in place).
 */
class Guard {
  private readonly bodies: Element[];
  private readonly byline: Element | null;
  private readonly headline: Element | null;
  private readonly total: number;
  private readonly byParagraphs: boolean;

  constructor(doc: Document) {
    const body = doc.body ?? doc.documentElement;
    this.bodies = Array.from(body.querySelectorAll('*')).filter(
      (el) =>
        el.tagName === 'MAIN' ||
        el.getAttribute('role') === 'main' ||
        /\barticleBody\b/i.test(el.getAttribute('itemprop') ?? '') ||
        BODY_MARK.test(`${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`) ||
        /articleBody/i.test(el.getAttribute('class') ?? ''),
    );
    this.byline = readabilityBylineNode(doc);
    this.headline = body.querySelector('article h1, main h1, [role="main"] h1') ?? body.querySelector('h1');
    const paragraphs = paragraphTextLength(body);
    // Pages that set their text in <div>s and <br>s have little in <p>: measure all the text.
    this.byParagraphs = paragraphs >= 500;
    this.total = this.byParagraphs ? paragraphs : visibleText(body).length;
  }

  /** Readability's byline element when `el` holds it (and is not it). */
  bylineIn(el: Element): Element | null {
    return this.byline && this.byline !== el && el.contains(this.byline) ? this.byline : null;
  }

  /** True when `el` may be removed (with Readability's byline element left in its place, see {@link removeIfAllowed}). */
  allows(el: Element): boolean {
    if (el.tagName === 'BODY' || el.tagName === 'HTML') return false;
    if (this.byline === el) return false;
    if (this.bodies.some((b) => el.contains(b))) return false;
    if (this.headline && el.contains(this.headline)) return false;
    if (this.total === 0) return true;
    const share = (this.byParagraphs ? paragraphTextLength(el) : visibleText(el).length) / this.total;
    return share < 0.5;
  }
}

/**
 * Remove `el` when the guard allows it. When it holds the element Readability reads the
 * byline from, that element is left where `el` was: it stays the first byline Readability
 * meets, so Readability reads the same author and removes it as before.
 */
function removeIfAllowed(el: Element, guard: Guard): boolean {
  if (!el.isConnected || !guard.allows(el)) return false;
  const byline = guard.bylineIn(el);
  if (byline) el.replaceWith(byline);
  else el.remove();
  return true;
}

/** Rule 4: the elements that are an article's own header. */
function articleHeaders(root: Element): Element[] {
  return Array.from(root.querySelectorAll(HEADER_SELECTOR)).filter((el) => {
    if (el.tagName === 'HEADER' && (el.closest('article') || el.closest('main'))) return true;
    // The header block itself ("article-header", "article__header"), not its parts ("article-header__kicker").
    return hasWords(el, HEADER_WORDS, true);
  });
}

/** True when `el` is not part of running text: no paragraph, heading or list item around it holds other text. */
function standsAlone(el: Element, within: Element): boolean {
  const text = visibleText(el);
  for (let p = el.parentElement; p && p !== within; p = p.parentElement) {
    if (BLOCK_LEVEL.has(p.tagName)) return visibleText(p) === text || !/^(P|H[1-6]|LI|DD|DT|TD|TH|FIGCAPTION|BLOCKQUOTE)$/.test(p.tagName);
  }
  return true;
}

/** Rule 4: the nearest block around a `<time>` inside `header`, when it is a date line. */
function dateLine(time: Element, header: Element): Element | null {
  let block: Element = time;
  for (let p = time.parentElement; p && p !== header; p = p.parentElement) {
    block = p;
    if (BLOCK_LEVEL.has(p.tagName)) break;
  }
  const text = visibleText(block);
  let rest = text.length;
  for (const t of Array.from(block.getElementsByTagName('time'))) rest -= visibleText(t).length;
  if (block.tagName === 'TIME') rest = 0;
  return text.length <= HEADER_PART_MAX_CHARS && rest <= DATE_LINE_EXTRA_CHARS ? block : null;
}

/** Put a `tag` element with `el`'s attributes and content in `el`'s place. */
function retag(el: Element, tag: string): Element {
  const replacement = el.ownerDocument.createElement(tag);
  for (const attr of Array.from(el.attributes)) replacement.setAttribute(attr.name, attr.value);
  replacement.append(...Array.from(el.childNodes));
  el.replaceWith(replacement);
  return replacement;
}

/**
 * True when all of `el`'s text is inside headings or the byline element Readability will
 * remove (a headline and a standfirst set as `<h2>`, once the rest of the header is gone).
 */
function textOnlyInHeadings(el: Element, byline: Element | null): boolean {
  if (!visibleText(el)) return false;
  let outside = '';
  const walk = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) outside += child.nodeValue ?? '';
      else if (child.nodeType === 1 && child !== byline && !/^(H[1-6]|SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/.test((child as Element).tagName)) walk(child);
    }
  };
  walk(el);
  return outside.trim() === '';
}

/**
 * Remove page chrome from `doc` (the importer's clone, before Readability parses it) by
 * the rules in this module's description. Elements only go, but for a header left with
 * headings only, which becomes a `<section>` (rule 4); no text is rewritten.
 */
export function precleanForReadability(doc: Document): PrecleanReport {
  const report: PrecleanReport = { chrome: 0, adLabels: 0, blocks: 0, headerParts: 0 };
  const body = doc.body;
  if (!body) return report;
  const guard = new Guard(doc);

  // 1. Navigation chrome.
  const chrome = [
    ...Array.from(body.querySelectorAll(CHROME_SELECTOR)),
    ...Array.from(body.querySelectorAll('a[class], a[id]')).filter((a) => hasWords(a, SKIP_LINK_WORDS)),
    ...Array.from(body.querySelectorAll('[class]')).filter((el) => hasWords(el, SCREEN_READER_WORDS)),
  ];
  for (const el of chrome) if (removeIfAllowed(el, guard)) report.chrome += 1;

  // 2. Label-only ad slots (outermost first: querySelectorAll is in document order).
  for (const el of Array.from(body.querySelectorAll('div, section, aside, ins, figure'))) {
    if (!el.isConnected || !AD_SLOT_TAGS.has(el.tagName)) continue;
    const text = shortText(el, AD_LABEL_MAX_CHARS);
    if (text === null || !AD_LABEL.test(text) || el.querySelector('img, picture, video, iframe, svg') || el.parentElement?.closest(NOT_AD_CONTEXT)) continue;
    if (removeIfAllowed(el, guard)) report.adLabels += 1;
  }

  // 3. Blocks named as share, related, newsletter, comments, author bio or promo.
  for (const el of Array.from(body.querySelectorAll('[class], [id]'))) {
    if (!el.isConnected || !BLOCK_TAGS.has(el.tagName) || !hasWords(el, BLOCK_WORDS)) continue;
    if (removeIfAllowed(el, guard)) report.blocks += 1;
  }

  // 4. The article header's kicker, byline and date line.
  for (const header of articleHeaders(body)) {
    if (!header.isConnected) continue;
    const parts: Element[] = [];
    for (const el of Array.from(header.querySelectorAll('[class], [id]'))) {
      if (!hasWords(el, KICKER_WORDS) && !hasWords(el, BYLINE_WORDS) && !hasWords(el, DATE_WORDS)) continue;
      if (visibleText(el).length <= HEADER_PART_MAX_CHARS && standsAlone(el, header)) parts.push(el);
    }
    for (const time of Array.from(header.getElementsByTagName('time'))) {
      const line = dateLine(time, header);
      if (line) parts.push(line);
    }
    for (const el of parts) if (removeIfAllowed(el, guard)) report.headerParts += 1;
    if (header.isConnected && header.tagName !== 'SECTION' && textOnlyInHeadings(header, guard.bylineIn(header))) retag(header, 'section');
  }
  return report;
}

/** Text compared as a title: soft hyphens out, white space collapsed, case folded. */
function titleKey(text: string): string {
  return text.replace(/\u00AD/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Remove the first `<h1>` or `<h2>` of Readability's article when it comes before any
 * other text and repeats the article's title. Readability drops such a heading itself
 * only when its word-overlap test says so, and that test splits text on `\W`, which sees
 * no words at all in Hebrew, Arabic or CJK. Returns true when a heading was removed.
 */
export function dropRepeatedHeadline(root: Element, title: string | null | undefined): boolean {
  const key = titleKey(title ?? '');
  if (!key) return false;
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!(node.nodeValue ?? '').trim()) continue;
    const heading = node.parentElement?.closest('h1, h2');
    if (!heading || !root.contains(heading) || titleKey(heading.textContent ?? '') !== key) return false;
    heading.remove();
    return true;
  }
  return false;
}
