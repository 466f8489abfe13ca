/**
 * What a web page declares about itself, as CSL-JSON: the Highwire Press `citation_*`
 * meta tags (what Google Scholar and Zotero read first), JSON-LD (schema.org
 * NewsArticle, Article, ScholarlyArticle, Report, BlogPosting) and Open Graph /
 * `article:*` tags, in that order of trust. Runs on a parsed DOM; never fetches anything.
 */
import { parse as parseDate } from '@citation-js/date';
import { cslDateFromInput, type CslDate, type CslItem, type CslName } from '../../shared/model';
import { bareDoi, CSL_URL_PATTERN } from '../../shared/model';

/** Lower-case name particles ("van der", "de la", "von") that belong before the family name (CSL non-dropping-particle). */
const NAME_PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'do', 'dos', 'das', 'du', 'la', 'le', 'ten', 'ter', 'zu', 'af', 'al', 'el', 'bin', 'ibn']);

/** Soft hyphens and zero-width spaces: line-break hints that pages put inside words, never part of a name or title. */
const INVISIBLE = /[\u00AD\u200B]/g;

/**
 * What introduces a byline rather than being part of it: "By", "By:", "Von", "Par", "Por",
 * "Door", Hebrew "מאת", Arabic "بقلم" / "كتب", and author-box links such as "More by" or
 * "View all posts by".
 */
const BYLINE_PREFIX = /^\s*(?:(?:(?:view|see)\s+)?(?:all|more)\s+(?:(?:posts|stories|articles)\s+)?(?:by|from)|by|von|par|de|por|door|מאת|بقلم|كتبت?)\s*:?\s+/iu;

/**
 * Parse a personal byline ("By Jane Doe", "Jane Doe and John Roe", "Marieke van der
 * Berg") into CSL names; lower-case particles before the family name become its
 * `non-dropping-particle`, as CSL 1.0.2 (section "Name particles") describes.
 * Names of more than four words besides particles, or with digits, are kept whole as
 * `literal` (institutions like "Amazon Web Services" must not be split).
 */
export function parseByline(byline: string): CslName[] {
  const cleaned = byline
    .replace(INVISIBLE, '')
    .replace(BYLINE_PREFIX, '')
    // "Martin Untersinger (avec Damien Leloup et Morgane Tual)": co-authors in parentheses are authors too.
    .replace(/\s*\((?:avec|with|mit|con|com)\s+([^)]*)\)/gi, ', $1')
    .replace(/\s+/g, ' ')
    .trim();
  if (!cleaned) return [];
  // "Jong, Michiel de" / "Doe, Jane": one family word (with its particles) before a single comma is an inverted name.
  const inverted = /^((?:[a-z]+ )*[\p{Lu}][\p{L}'’-]*), ((?:[\p{Lu}][\p{L}.'’-]*\s?)+)((?: [a-z]+)*)$/u.exec(cleaned);
  if (inverted && !/\b(and|und|et)\b/.test(cleaned)) {
    const familyWords = inverted[1]!.split(' ');
    const family = familyWords.pop()!;
    const particle = [...familyWords, ...inverted[3]!.trim().split(' ').filter(Boolean)].join(' ');
    return [{ family, given: inverted[2]!.trim(), ...(particle ? { 'non-dropping-particle': particle } : {}) }];
  }
  return cleaned
    .split(/\s*(?:,|\band\b|&|\bund\b|\bet\b)\s*/i)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part): CslName => {
      const words = part.split(' ');
      let firstParticle = words.length - 1;
      while (firstParticle > 1 && NAME_PARTICLES.has(words[firstParticle - 1]!)) firstParticle -= 1;
      const given = words.slice(0, firstParticle);
      const particles = words.slice(firstParticle, -1);
      if (words.length < 2 || given.length > 3 || /\d/.test(part)) return { literal: part };
      return { given: given.join(' '), ...(particles.length ? { 'non-dropping-particle': particles.join(' ') } : {}), family: words[words.length - 1]! };
    });
}

/** A CSL date from an ISO 8601 string ("2021-01-11", "2021-01-11T18:00:00+01:00"); null when it does not parse. */
export function cslDateFromIso(value: string | null | undefined): CslItem['issued'] | null {
  // The calendar date at the start of the timestamp, checked by the same rules as the metadata form.
  const date = /^\d{4}(?:-\d{2}(?:-\d{2})?)?/.exec((value ?? '').trim())?.[0];
  if (!date) return null;
  try {
    return cslDateFromInput(date) ?? null;
  } catch {
    return null; // an impossible date (month 13, 30 February): the page declared none we can use
  }
}

/** schema.org types and the CSL type each means. */
const LD_TYPES: Record<string, string> = {
  NewsArticle: 'article-newspaper',
  ReportageNewsArticle: 'article-newspaper',
  AnalysisNewsArticle: 'article-newspaper',
  OpinionNewsArticle: 'article-newspaper',
  Article: 'article',
  ScholarlyArticle: 'article-journal',
  Report: 'report',
  BlogPosting: 'post-weblog',
  WebPage: 'webpage',
  Legislation: 'legislation',
  Book: 'book',
};

function metaAll(doc: Document, name: string): string[] {
  return Array.from(doc.querySelectorAll(`meta[name="${name}" i], meta[property="${name}" i]`))
    .map((m) => m.getAttribute('content')?.trim() ?? '')
    .filter(Boolean);
}

const first = (doc: Document, ...names: string[]): string | null => {
  for (const name of names) {
    const value = metaAll(doc, name)[0];
    if (value) return value;
  }
  return null;
};

/** A date as pages write it ("2021-01-11", "2021/01/11", "January 11, 2021", "2021"); null when it does not read as one. */
export function looseDate(value: string | null | undefined): CslDate | null {
  const text = (value ?? '').trim();
  if (!text) return null;
  const iso = cslDateFromIso(text.replace(/^(\d{4})\/(\d{1,2})(?:\/(\d{1,2}))?/, (_, y: string, m: string, d?: string) => `${y}-${m.padStart(2, '0')}${d ? `-${d.padStart(2, '0')}` : ''}`));
  if (iso) return iso;
  if (/^\d{4}[-/]\d/.test(text)) return null; // a numeric date that is impossible (30 February) is no date
  // English month names ("January 11, 2021", "11 Jan 2021"), as news sites print them.
  const named = /^(?:([A-Z][a-z]+)\.? (\d{1,2}),? (\d{4})|(\d{1,2}) ([A-Z][a-z]+)\.? (\d{4}))$/.exec(text);
  if (named) {
    const [monthName, day, year] = named[1] ? [named[1], named[2]!, named[3]!] : [named[5]!, named[4]!, named[6]!];
    const month = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(monthName.slice(0, 3).toLowerCase()) + 1;
    if (month > 0) {
      const iso = cslDateFromIso(`${year}-${String(month).padStart(2, '0')}-${day.padStart(2, '0')}`);
      if (iso) return iso;
    }
  }
  const parsed = parseDate(text) as { 'date-parts'?: number[][] } | undefined;
  const parts = parsed?.['date-parts']?.[0];
  if (parts && parts.every((n) => Number.isInteger(n)) && parts[0]! > 0) return { 'date-parts': [parts] };
  return null;
}

/**
 * One `citation_author` or Dublin Core creator value: "Doe, Jane" (family first, the
 * family name may have several words: "García Márquez, Gabriel"), "Jong, Michiel de" /
 * "van der Berg, Richard" (lower-case particles on either side become the CSL
 * non-dropping-particle) or "Jane Doe"; institutions kept whole.
 */
function citationAuthor(value: string): CslName[] {
  const comma = /^([^,]+),\s*([^,]+)$/.exec(value.replace(INVISIBLE, '').trim());
  if (comma) {
    const familyWords = comma[1]!.trim().split(/\s+/);
    const givenWords = comma[2]!.trim().split(/\s+/);
    const particles: string[] = [];
    while (familyWords.length > 1 && NAME_PARTICLES.has(familyWords[0]!)) particles.push(familyWords.shift()!);
    const trailing: string[] = [];
    while (givenWords.length > 1 && NAME_PARTICLES.has(givenWords[givenWords.length - 1]!)) trailing.unshift(givenWords.pop()!);
    const particle = [...trailing, ...particles].join(' ');
    return [{ family: familyWords.join(' '), given: givenWords.join(' '), ...(particle ? { 'non-dropping-particle': particle } : {}) }];
  }
  return parseByline(value).slice(0, 1);
}

/** Elements whose names are not the article's author: comments, asides, navigation, lists of related posts. */
const NOT_THE_ARTICLE = 'aside, nav, .comment, .comments, #comments, .comment-list, [itemprop~="comment"], [class*="related"]';

/**
 * The people the page's markup names as its authors: schema.org microdata
 * (`itemprop="author"`, its `itemprop="name"` if it has one), else microformats
 * (`p-author` of h-entry, hAtom's `author vcard` with its `fn`), as WordPress themes
 * write the visible byline. Readability misses these when a theme puts the byline in an
 * entry header it discards. Names in comments, asides, navigation and related posts are not counted.
 */
function markupAuthors(doc: Document): CslName[] {
  const names: string[] = [];
  const add = (text: string | null | undefined) => {
    const name = (text ?? '').replace(/\s+/g, ' ').trim();
    if (name && name.length < 100 && !names.includes(name)) names.push(name);
  };
  for (const el of Array.from(doc.querySelectorAll('[itemprop~="author"]'))) {
    if (el.closest(NOT_THE_ARTICLE)) continue;
    if (el.tagName === 'META') add(el.getAttribute('content'));
    else if (el.tagName !== 'LINK') {
      const name = el.querySelector('[itemprop~="name"]');
      add(name ? (name.getAttribute('content') ?? name.textContent) : el.textContent);
    }
  }
  if (names.length === 0) {
    for (const el of Array.from(doc.querySelectorAll('.p-author, .author.vcard'))) {
      if (el.closest(NOT_THE_ARTICLE)) continue;
      add((el.querySelector('.p-name, .fn') ?? el).textContent);
    }
  }
  return names.flatMap((name) => parseByline(name));
}

/** The first schema.org microdata `datePublished` outside comments (`<time itemprop="datePublished" datetime="…">`, `<meta itemprop="datePublished" content="…">`). */
function microdataDatePublished(doc: Document): string | null {
  for (const el of Array.from(doc.querySelectorAll('[itemprop~="datePublished"]'))) {
    if (el.closest(NOT_THE_ARTICLE)) continue;
    const value = el.getAttribute('content') ?? el.getAttribute('datetime') ?? el.textContent;
    if (value?.trim()) return value.trim();
  }
  return null;
}

/** Title separators that set off a site or author name: " | ", " - ", " – ", " — ", " · ", " • ". */
const TITLE_SEPARATOR = /\s[|\-–—·•]\s/g;

/**
 * The title without trailing segments that only repeat the author's or the site's
 * name ("What is the sea telling us? | Eleanor Ainge Roy", "Samantha and The Great Big
 * Lie - John C. Welch - Medium"); what is left must still have two words.
 */
function withoutTrailingNames(title: string, names: string[]): string {
  const known = new Set(names.map((n) => n.replace(INVISIBLE, '').trim().toLowerCase()).filter(Boolean));
  let current = title;
  for (;;) {
    const separators = Array.from(current.matchAll(TITLE_SEPARATOR));
    const last = separators[separators.length - 1];
    if (!last || last.index === undefined) return current;
    const head = current.slice(0, last.index).trim();
    const tail = current.slice(last.index + last[0].length).replace(/^by\s+/i, '').trim().toLowerCase();
    if (!known.has(tail) || head.split(/\s+/).length < 2) return current;
    current = head;
  }
}

type Json = Record<string, unknown>;

/** Every JSON-LD object in the page's `<script type="application/ld+json">` blocks, `@graph`s flattened. Blocks that are not JSON are skipped. */
function jsonLdObjects(doc: Document): Json[] {
  const out: Json[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      out.push(value as Json);
      if (Array.isArray((value as Json)['@graph'])) visit((value as Json)['@graph']);
    }
  };
  for (const script of Array.from(doc.querySelectorAll('script[type="application/ld+json" i]'))) {
    try {
      visit(JSON.parse(script.textContent ?? ''));
    } catch {
      // A page's broken JSON-LD is the page's problem: the other metadata still counts.
    }
  }
  return out;
}

function ldTypes(object: Json): string[] {
  const type = object['@type'];
  return (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string');
}

const ldText = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

/** JSON-LD `author`: a Person becomes a personal name, an Organization a literal; plain strings are parsed as bylines. */
function ldAuthors(value: unknown): CslName[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.flatMap((author): CslName[] => {
    if (typeof author === 'string') return parseByline(author);
    if (!author || typeof author !== 'object') return [];
    const a = author as Json;
    const name = ldText(a.name);
    if (!name) return [];
    if (ldTypes(a).includes('Organization') || ldTypes(a).includes('NewsMediaOrganization')) return [{ literal: name }];
    const family = ldText(a.familyName);
    const given = ldText(a.givenName);
    if (family) return [{ family, ...(given ? { given } : {}) }];
    return parseByline(name).slice(0, 1);
  });
}

/**
 * The page's CSL item: `base` (what Readability and the plain meta tags gave) with what
 * the page declares laid over it, field by field, most trusted first:
 * - title: citation_title, then `base` (Readability strips the site name), then JSON-LD headline;
 *   soft hyphens are dropped, and a non-citation title loses trailing " | Author" / " - Site" segments;
 * - authors: citation_author, then JSON-LD author (it tells people from organisations), then
 *   Dublin Core creators (DC.creator, dcterms.creator), then microdata / microformat bylines, then `base`;
 * - container-title: citation_journal_title (or conference/book), then `base` (og:site_name), then JSON-LD publisher;
 * - issued: citation_publication_date / citation_date, then JSON-LD datePublished, then `base`, then
 *   Dublin Core dates, `<meta name="date">` and microdata datePublished;
 * - volume, issue, pages, DOI, publisher, report number: citation_* tags; the type follows what was found.
 * An author whose name is the site's or publisher's name is an institution (CSL `literal`).
 * URLs must be http(s).
 */
export function declaredMetadata(doc: Document, base: CslItem): CslItem {
  const csl: CslItem = { ...base };
  const objects = jsonLdObjects(doc);
  const article = objects.find((o) => ldTypes(o).some((t) => t in LD_TYPES && t !== 'WebPage')) ?? objects.find((o) => ldTypes(o).includes('WebPage'));
  const ldType = article ? ldTypes(article).find((t) => t in LD_TYPES) : undefined;
  const ldPublisher = article ? (article.publisher && typeof article.publisher === 'object' ? ldText((article.publisher as Json).name) : ldText(article.publisher)) : null;

  // Type: what JSON-LD says, unless citation_* below says more.
  if (ldType && LD_TYPES[ldType] !== 'article' && (LD_TYPES[ldType] !== 'webpage' || !base.type || base.type === 'webpage')) csl.type = LD_TYPES[ldType]!;

  const citationTitle = first(doc, 'citation_title');
  const title = citationTitle ?? (base.title?.trim() ? base.title : null) ?? (article ? ldText(article.headline) : null) ?? first(doc, 'og:title');
  if (title) csl.title = title.replace(INVISIBLE, '');

  const citationAuthors = metaAll(doc, 'citation_author').flatMap(citationAuthor);
  const ldAuthorList = article ? ldAuthors(article.author) : [];
  const dcAuthors = ['dc.creator', 'dcterms.creator', 'dc.creator.personalname'].flatMap((name) => metaAll(doc, name)).flatMap(citationAuthor);
  const markup = markupAuthors(doc);
  if (citationAuthors.length) csl.author = citationAuthors;
  else if (ldAuthorList.length) csl.author = ldAuthorList;
  else if (dcAuthors.length) csl.author = dcAuthors;
  else if (markup.length) csl.author = markup;

  const journal = first(doc, 'citation_journal_title', 'citation_conference_title', 'citation_inbook_title');
  if (journal) {
    csl['container-title'] = journal;
    csl.type = first(doc, 'citation_conference_title') ? 'paper-conference' : first(doc, 'citation_inbook_title') ? 'chapter' : 'article-journal';
  } else if (!csl['container-title'] && ldPublisher && (csl.type === 'article-newspaper' || csl.type === 'post-weblog')) {
    csl['container-title'] = ldPublisher;
  }
  if (first(doc, 'citation_technical_report_number', 'citation_technical_report_institution')) csl.type = 'report';

  const issued = looseDate(first(doc, 'citation_publication_date', 'citation_date', 'citation_online_date', 'citation_cover_date')) ?? (article ? looseDate(ldText(article.datePublished)) : null);
  if (issued) csl.issued = issued;

  const publisher = first(doc, 'citation_publisher', 'citation_technical_report_institution', 'citation_dissertation_institution') ?? (csl.type === 'report' || csl.type === 'book' ? ldPublisher : null);
  if (publisher) csl.publisher = publisher;
  for (const [tag, field] of [['citation_volume', 'volume'], ['citation_issue', 'issue'], ['citation_technical_report_number', 'number']] as const) {
    const value = first(doc, tag);
    if (value) csl[field] = value;
  }
  const firstPage = first(doc, 'citation_firstpage');
  const lastPage = first(doc, 'citation_lastpage');
  if (firstPage) csl.page = lastPage && lastPage !== firstPage ? `${firstPage}–${lastPage}` : firstPage;
  const doi = first(doc, 'citation_doi', 'dc.identifier.doi');
  if (doi) csl.DOI = bareDoi(doi);
  const url = first(doc, 'citation_public_url', 'citation_abstract_html_url') ?? (article ? (ldText(article.url) ?? ldText(article.mainEntityOfPage)) : null);
  if (url && CSL_URL_PATTERN.test(url) && (first(doc, 'citation_public_url', 'citation_abstract_html_url') || !csl.URL)) csl.URL = url;
  if (!csl.issued) {
    // Dublin Core (DC.Date.Issued in IETF drafts), `<meta name="date">` (German publishers), then microdata.
    const published = looseDate(first(doc, 'dc.date.issued', 'dcterms.issued', 'dc.date', 'dcterms.date', 'date')) ?? looseDate(microdataDatePublished(doc));
    if (published) csl.issued = published;
  }

  // "BBC News" as the byline of a BBC News page is the organisation, not a Mr News.
  const organisations = new Set([csl['container-title'], csl.publisher, ldPublisher, first(doc, 'og:site_name')].filter((v): v is string => !!v).map((v) => v.trim().toLowerCase()));
  if (csl.author) {
    csl.author = csl.author.map((name) => {
      const whole = name.literal ?? [name.given, name['non-dropping-particle'], name.family].filter(Boolean).join(' ');
      return !name.literal && organisations.has(whole.trim().toLowerCase()) ? { literal: whole.trim() } : name;
    });
  }
  if (csl['container-title']) csl['container-title'] = csl['container-title'].replace(INVISIBLE, '');
  // A title that ends by repeating the byline or the site's name ("… | Eleanor Ainge Roy", "… - John C. Welch - Medium") loses those ends; a citation_title is taken as declared.
  if (csl.title && !citationTitle) {
    const names = (csl.author ?? []).map((name) => name.literal ?? [name.given, name['non-dropping-particle'], name.family].filter(Boolean).join(' '));
    csl.title = withoutTrailingNames(csl.title, [...names, ...organisations]);
  }
  return csl;
}
