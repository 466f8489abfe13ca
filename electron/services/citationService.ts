/**
 * The app's citation styles and the calls the services make to citeproc-js.
 *
 * Built-in styles and locales ship in `electron/resources/csl/` (from the Citation Style
 * Language project, CC BY-SA 3.0; credited in the README and the About box). Styles the
 * user adds live in the library file (`styles` table), checked before they are kept.
 * Engines are built per style and locale on first use (about a second or two for APA
 * or Chicago) and kept for the life of the process.
 */
import { readFileSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import path from 'node:path';
import { ApiError } from '../../shared/contract';
import { CitationRenderer, fingerprint, readStyleInfo, StyleError, type CiteInput, type RenderedCitations, type RenderedText, type StyleInfo } from '../../shared/citations';
import { LANGUAGE_TAG_PATTERN, type CslItem } from '../../shared/model';
import { inLanguage } from '../../shared/printHtml';
import { purifyCitationHtml } from './sanitize';
import type { StoredStyle } from './store';

/** What the bibliography is called: APA and Chicago author-date "References", notes-bibliography styles "Bibliography", MLA 9 "Works Cited" (MLA Handbook §5.1). */
type HeadingKind = 'references' | 'bibliography' | 'works-cited';

/** A style that ships with the app: its id (file name without .csl) and its bibliography heading. */
interface BuiltInStyle {
  id: string;
  heading: HeadingKind;
}

/** The styles that ship with Verbatim, in menu order. */
export const BUILT_IN_STYLES: readonly BuiltInStyle[] = [
  { id: 'apa', heading: 'references' },
  { id: 'chicago-author-date', heading: 'references' },
  { id: 'chicago-notes-bibliography', heading: 'bibliography' },
  { id: 'modern-language-association', heading: 'works-cited' },
  { id: 'bluebook-law-review', heading: 'bibliography' },
  { id: 'oscola', heading: 'bibliography' },
];

/** The style of quote cards and of memos that name no style (APA 7). */
export const DEFAULT_STYLE_ID = 'apa';

/** Locales that ship with the app (`locales-<tag>.xml`); a memo may pick any of them. */
export const SHIPPED_LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ar', 'he-IL', 'ja-JP'] as const;

const HEADINGS: Record<HeadingKind, Record<string, string>> = {
  references: { en: 'References', de: 'Literaturverzeichnis', fr: 'Références' },
  bibliography: { en: 'Bibliography', de: 'Bibliografie', fr: 'Bibliographie' },
  'works-cited': { en: 'Works Cited', de: 'Zitierte Werke', fr: 'Ouvrages cités' },
};

/** The bibliography heading for a kind and a locale ("de-DE" → German); English when the language has none. */
export function bibliographyHeading(kind: HeadingKind, locale: string): string {
  return inLanguage(HEADINGS[kind], locale);
}

/** What a cite of an item citeproc-js cannot render shows instead. */
export const CITATION_UNAVAILABLE = { html: '[citation unavailable: check this source’s metadata]', text: '[citation unavailable: check this source’s metadata]' };

/** A style as the app lists it. */
export interface StyleSummary extends StyleInfo {
  id: string;
  builtIn: boolean;
}

/** A memo's choice of style: the style's id and a locale ('' for the style's default). */
export interface StyleChoice {
  id: string;
  locale: string;
}

/** Everything rendered for one memo (or one call): cites in order, bibliography, and what the style is. */
export interface RenderedForStyle extends RenderedCitations {
  style: StyleSummary;
  /** The bibliography heading in the memo's language, or null when the style has no bibliography. */
  bibliographyHeading: string | null;
}

/** `rendered` (one per true entry of `present`, in order) spread over every position, `gap` at the false ones. */
function fillGaps<T>(present: readonly boolean[], rendered: readonly T[], gap: T): T[] {
  let next = 0;
  return present.map((isPresent) => (isPresent ? rendered[next++]! : gap));
}

/** Renderers by style fingerprint and locale, shared by every library this process opens; at most {@link MAX_RENDERERS}, least recently used dropped first. */
const RENDERERS = new Map<string, CitationRenderer>();
const MAX_RENDERERS = 12;

/** Where user styles are kept (the library store). */
export interface StyleStore {
  listStyles(): Promise<StoredStyle[]>;
  putStyle(style: Omit<StoredStyle, 'createdAt'>): Promise<StoredStyle>;
  removeStyle(id: string): Promise<boolean>;
}

/** Most elements a user style may have (the largest CSL styles have about 6,000), and how deep they may nest. */
export const MAX_STYLE_ELEMENTS = 30_000;
export const MAX_STYLE_DEPTH = 60;

/**
 * Check what citeproc-js's lenient XML reader lets through, in one streaming pass (saxes,
 * the XML parser jsdom uses): the style must be well-formed XML 1.0 with no DTD (so no
 * entity tricks), at most {@link MAX_STYLE_ELEMENTS} elements nested at most
 * {@link MAX_STYLE_DEPTH} deep; its `<citation>` must have a `<layout>` (CSL 1.0.2 §3.5),
 * and every `macro="…"` it calls must be defined (§3.7).
 * @throws StyleError saying what is wrong, with the line when the XML is broken.
 */
export function checkStyleXml(xml: string): void {
  const parser = new SaxesParser({ xmlns: false });
  const stack: string[] = [];
  const defined = new Set<string>();
  const called = new Set<string>();
  let elements = 0;
  let citationHasLayout: boolean | null = null;
  let problem: string | null = null;
  parser.on('error', (error) => {
    problem ??= `This file is not well-formed XML (${error.message.replace(/\s+/g, ' ').slice(0, 200)}).`;
  });
  parser.on('doctype', () => {
    problem ??= 'A CSL style has no DOCTYPE; this file declares one (entity declarations are not accepted).';
  });
  parser.on('opentag', (tag) => {
    elements += 1;
    if (elements > MAX_STYLE_ELEMENTS) problem ??= `The style has more than ${MAX_STYLE_ELEMENTS.toLocaleString('en-US')} elements; CSL styles have a few thousand.`;
    if (stack.length >= MAX_STYLE_DEPTH) problem ??= `The style nests elements more than ${MAX_STYLE_DEPTH} deep.`;
    const name = tag.name.replace(/^.*:/, '');
    const attrs = tag.attributes as Record<string, string>;
    if (stack.length === 1 && name === 'macro' && typeof attrs.name === 'string') defined.add(attrs.name);
    if (typeof attrs.macro === 'string') called.add(attrs.macro);
    if (stack.length === 1 && name === 'citation') citationHasLayout = false;
    if (stack.length === 2 && stack[1] === 'citation' && name === 'layout') citationHasLayout = true;
    stack.push(name);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(xml.replace(/^\uFEFF/, '')).close();
  } catch (error) {
    problem ??= `This file is not well-formed XML (${(error as Error).message.replace(/\s+/g, ' ').slice(0, 200)}).`;
  }
  if (problem) throw new StyleError(problem);
  if (citationHasLayout === false) throw new StyleError('The style’s <citation> has no <layout>, so it cannot print a citation.');
  for (const macro of called) if (!defined.has(macro)) throw new StyleError(`The style calls the macro “${macro.slice(0, 80)}”, which it does not define.`);
}

/** Citation rendering with the shipped styles and locales and the user's own styles. */
export class CitationService {
  private readonly locales = new Map<string, string | null>();
  private readonly builtInXml = new Map<string, string>();

  /**
   * @param resourcesDir folder with `csl/` (styles and locales).
   * @param styles where user-added styles are kept.
   * @param onItemError told which items citeproc-js could not render, and why.
   */
  constructor(
    private readonly resourcesDir: string,
    private readonly styles: StyleStore,
    private readonly onItemError: (itemIds: string[], error: unknown) => void = (ids, error) => console.error('Citations failed for', ids, error),
  ) {}

  private builtIn(id: string): string | null {
    if (!BUILT_IN_STYLES.some((s) => s.id === id)) return null;
    let xml = this.builtInXml.get(id);
    if (xml === undefined) {
      xml = readFileSync(path.join(this.resourcesDir, 'csl', `${id}.csl`), 'utf8');
      this.builtInXml.set(id, xml);
    }
    return xml;
  }

  /** Every style the app can use: the built-in ones in menu order, then the user's. */
  async listStyles(): Promise<StyleSummary[]> {
    const builtIn = BUILT_IN_STYLES.map((s) => ({ id: s.id, builtIn: true, ...readStyleInfo(this.builtIn(s.id)!) }));
    const user = (await this.styles.listStyles()).flatMap((s) => {
      try {
        return [{ id: s.id, builtIn: false, ...readStyleInfo(s.xml) }];
      } catch {
        return []; // a stored style that no longer reads is not offered (it was checked when added)
      }
    });
    return [...builtIn, ...user];
  }

  /** The XML and summary of a style. @throws ApiError `not_found` for an unknown id. */
  private async styleXml(id: string): Promise<{ xml: string; heading: HeadingKind; builtIn: boolean }> {
    const builtIn = this.builtIn(id);
    if (builtIn !== null) return { xml: builtIn, heading: BUILT_IN_STYLES.find((s) => s.id === id)!.heading, builtIn: true };
    const user = (await this.styles.listStyles()).find((s) => s.id === id);
    if (!user) throw new ApiError('not_found', `The citation style “${id}” is not installed. Choose another style for this memo.`);
    return { xml: user.xml, heading: 'references', builtIn: false };
  }

  private renderer(xml: string, locale: string): CitationRenderer {
    const key = `${fingerprint(xml)}:${xml.length}|${locale}`;
    let renderer = RENDERERS.get(key);
    if (renderer) {
      RENDERERS.delete(key); // re-insert: most recently used last
    } else {
      renderer = new CitationRenderer(xml, (lang) => this.localeXml(lang), locale || undefined);
    }
    RENDERERS.set(key, renderer);
    while (RENDERERS.size > MAX_RENDERERS) RENDERERS.delete(RENDERERS.keys().next().value!);
    return renderer;
  }

  /** Build the default style's engines now rather than on the first citation. */
  warm(): void {
    this.renderer(this.builtIn(DEFAULT_STYLE_ID)!, '').warm();
  }

  /** Build a style's engines ahead of use (when a memo opens). @throws ApiError `not_found`. */
  async warmStyle(choice: StyleChoice): Promise<void> {
    const { xml } = await this.styleXml(choice.id);
    this.renderer(xml, choice.locale).warm();
  }

  /** Locale XML for a language tag, from `locales-<tag>.xml`; null when not shipped (citeproc then uses en-US). */
  localeXml(lang: string): string | null {
    if (!LANGUAGE_TAG_PATTERN.test(lang)) return null;
    if (!this.locales.has(lang)) {
      try {
        this.locales.set(lang, readFileSync(path.join(this.resourcesDir, 'csl', `locales-${lang}.xml`), 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        this.locales.set(lang, null);
      }
    }
    return this.locales.get(lang) ?? null;
  }

  /**
   * Check a CSL style from disk and keep it in the library. The check parses it, builds
   * citeproc-js engines and renders a test citation and bibliography with it.
   * @throws ApiError `invalid_style` with the reason when it cannot be used.
   */
  async addStyle(fileName: string, xml: string): Promise<StyleSummary> {
    let info: StyleInfo;
    try {
      info = readStyleInfo(xml);
      checkStyleXml(xml);
      const probe = new CitationRenderer(xml, (lang) => this.localeXml(lang));
      probe.render(new Map([['probe', { type: 'article-journal', title: 'Probe', author: [{ family: 'Doe', given: 'Jane' }], issued: { 'date-parts': [[2020]] } }]]), [{ itemId: 'probe', locator: '4' }]);
    } catch (error) {
      const reason = error instanceof StyleError ? error.message : `citeproc-js could not use it (${(error as Error).message ?? String(error)}).`;
      throw new ApiError('invalid_style', `${fileName}: ${reason}`);
    }
    // A style is known by its <info><id> (CSL 1.0.2 §3.4): adding a new version of a style replaces the old one, as Zotero does.
    const styleUri = /<info>[\s\S]*?<id>\s*([^<]+?)\s*<\/id>/.exec(xml)?.[1];
    const id = `user-${fingerprint(styleUri ?? xml)}`;
    await this.styles.putStyle({ id, title: info.title, xml, fileName });
    return { id, builtIn: false, ...info };
  }

  /** Remove a user style. @throws ApiError `invalid_arguments` for a built-in style. */
  async removeStyle(id: string): Promise<boolean> {
    if (this.builtIn(id) !== null) throw new ApiError('invalid_arguments', 'Built-in styles cannot be removed.');
    return this.styles.removeStyle(id);
  }

  /**
   * Render cites in document order plus the bibliography with a style, and sanitize the
   * HTML (citeproc-js does not escape quotation marks inside the links it makes of URLs
   * and DOIs). An item that citeproc-js cannot render is cited as
   * {@link CITATION_UNAVAILABLE} and left out of the bibliography; the others render.
   * A position whose item id is null, or not in `items`, gets `gap` and is left out of the
   * engine (so it takes no note number either).
   * @throws ApiError `not_found` for an unknown style.
   */
  async render(choice: StyleChoice, items: ReadonlyMap<string, CslItem>, cites: readonly (CiteInput | null)[], gap: RenderedText): Promise<RenderedForStyle> {
    const { xml, heading, builtIn } = await this.styleXml(choice.id);
    const renderer = this.renderer(xml, choice.locale);
    const present = cites.map((c) => c !== null && items.has(c.itemId));
    const live = cites.filter((c, i): c is CiteInput => present[i]!);
    const out = this.renderIsolated(renderer, items, live);
    const lang = choice.locale || renderer.info.defaultLocale || 'en-US';
    return {
      style: { id: choice.id, builtIn, ...renderer.info },
      bibliographyHeading: renderer.info.hasBibliography ? bibliographyHeading(heading, lang) : null,
      citations: fillGaps(present, out.citations, { ...gap, noteNumber: null }),
      bibliography: out.bibliography,
    };
  }

  private renderIsolated(renderer: CitationRenderer, items: ReadonlyMap<string, CslItem>, cites: readonly CiteInput[]): RenderedCitations {
    let out: RenderedCitations;
    try {
      out = renderer.render(items, cites);
    } catch (error) {
      const bad = new Set<string>();
      for (const [id, item] of items) {
        try {
          renderer.render(new Map([[id, item]]), [{ itemId: id }]);
        } catch {
          bad.add(id); // this item is the one citeproc-js cannot render; it is reported below
        }
      }
      if (bad.size === 0) throw error;
      this.onItemError([...bad], error);
      const good = renderer.render(new Map([...items].filter(([id]) => !bad.has(id))), cites.filter((c) => !bad.has(c.itemId)));
      out = { citations: fillGaps(cites.map((c) => !bad.has(c.itemId)), good.citations, { ...CITATION_UNAVAILABLE, noteNumber: null }), bibliography: good.bibliography };
    }
    return {
      citations: out.citations.map((c) => ({ ...c, html: purifyCitationHtml(c.html) })),
      bibliography: out.bibliography.map((b) => ({ html: purifyCitationHtml(b.html), text: b.text })),
    };
  }

  /**
   * The in-text citation (plain text, default style) of each item alone, by item id, as a
   * quote card shows it. All items go through one engine, so citations that need
   * disambiguation get it.
   */
  async inText(items: ReadonlyMap<string, CslItem>): Promise<Map<string, string>> {
    const ids = [...items.keys()];
    const rendered = await this.render({ id: DEFAULT_STYLE_ID, locale: '' }, items, ids.map((itemId) => ({ itemId })), CITATION_UNAVAILABLE);
    return new Map(ids.map((id, i) => [id, rendered.citations[i]?.text ?? '']));
  }
}
