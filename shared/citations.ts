/**
 * Citations and bibliographies, rendered by citeproc-js (the CSL processor Zotero uses,
 * https://citeproc-js.readthedocs.io/) from CSL-JSON items and a CSL style.
 *
 * Pure: the caller passes the style and locale XML as strings (the services read
 * them from `electron/resources/csl/`). All cites of one memo go through one engine
 * in document order, so rules that depend on position (ibid., disambiguation,
 * subsequent-author substitution) come out as the style says.
 */
import CSL, { type Citation, type Engine } from 'citeproc';
import type { CslItem } from './model';

/** One cite: the item (source) cited, with an optional locator (e.g. page "4" with label "page"). */
export interface CiteInput {
  itemId: string;
  locator?: string;
  /** A CSL locator term: "page", "paragraph", "section", ... (CSL 1.0.2 appendix III). */
  label?: string;
}

/** A citation or bibliography entry in both of citeproc-js's output formats. */
export interface RenderedText {
  html: string;
  text: string;
}

/** What {@link renderCitations} needs: the style, a locale lookup, the items. */
export interface RenderCitationsInput {
  /** A CSL 1.0 style, as XML text. */
  styleXml: string;
  /** Locale XML by language tag ("en-US"); return null for a locale that is not shipped. */
  localeXml: (lang: string) => string | null;
  /** CSL-JSON items by id. Every cite's itemId must be here. */
  items: ReadonlyMap<string, CslItem>;
  /** Cites in document order, one citation each. */
  cites: readonly CiteInput[];
}

/** The rendered citations (same order as the cites) and the bibliography (style order). */
export interface RenderedCitations {
  citations: RenderedText[];
  bibliography: RenderedText[];
}

/**
 * A style's two citeproc-js engines (html and text), built once and reused: building
 * an engine parses the style (about a second for APA 7), rendering a memo's cites then
 * takes milliseconds.
 *
 * citeproc-js caches items by id and does not refetch an id it has seen, so each item
 * enters the engine under an id that includes a fingerprint of its CSL-JSON: an edited
 * source is a new item to the engine and is never rendered stale.
 */
export class CitationRenderer {
  private readonly engines = new Map<'html' | 'text', Engine>();
  private items = new Map<string, CslItem>();

  /**
   * @param styleXml a CSL 1.0 style, as XML text.
   * @param localeXml locale XML by language tag ("en-US"); null for one not shipped (en-US is used).
   */
  constructor(
    private readonly styleXml: string,
    private readonly localeXml: (lang: string) => string | null,
  ) {}

  private engine(format: 'html' | 'text'): Engine {
    let engine = this.engines.get(format);
    if (!engine) {
      const sys = {
        retrieveLocale: (lang: string) => this.localeXml(lang) ?? this.localeXml('en-US'),
        retrieveItem: (id: string) => {
          const item = this.items.get(id);
          if (!item) throw new Error(`citeproc asked for an item that was not given: ${id}`);
          return { ...item, id };
        },
      };
      engine = new CSL.Engine(sys, this.styleXml);
      engine.setOutputFormat(format);
      // Make URLs and DOIs in bibliographies working links.
      (engine as unknown as { opt: { development_extensions: { wrap_url_and_doi: boolean } } }).opt.development_extensions.wrap_url_and_doi = true;
      this.engines.set(format, engine);
    }
    return engine;
  }

  /** Build both engines now (at start-up, off the path of the first user action). */
  warm(): void {
    this.engine('html');
    this.engine('text');
  }

  /**
   * Render cites in document order and the bibliography of every item cited, each once.
   * @throws Error from citeproc-js when the style is broken or a cite names an item not in `items`.
   */
  render(items: ReadonlyMap<string, CslItem>, cites: readonly CiteInput[]): RenderedCitations {
    if (cites.length === 0) return { citations: [], bibliography: [] };
    const engineId = new Map<string, string>();
    this.items = new Map();
    for (const [id, item] of items) {
      const versioned = `${id}@${fingerprint(JSON.stringify(item))}`;
      engineId.set(id, versioned);
      this.items.set(versioned, item);
    }
    const citations = cites.map((cite, index) => {
      const id = engineId.get(cite.itemId);
      if (!id) throw new Error(`A cite names an item that was not given: ${cite.itemId}`);
      return {
        citationID: `c${index}`,
        citationItems: [{ id, ...(cite.locator ? { locator: cite.locator, label: cite.label ?? 'page' } : {}) }],
        properties: { noteIndex: index + 1 },
      };
    });
    const cited = [...new Set(citations.map((c) => c.citationItems[0]!.id))];
    const out = { html: renderWith(this.engine('html'), 'html', citations, cited), text: renderWith(this.engine('text'), 'text', citations, cited) };
    return {
      citations: out.html.citations.map((h, i) => ({ html: h, text: out.text.citations[i] ?? '' })),
      bibliography: out.html.bibliography.map((h, i) => ({ html: h, text: out.text.bibliography[i] ?? '' })),
    };
  }
}

/** FNV-1a 32-bit hash, hex: a cheap fingerprint to tell item versions apart (not for security). */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16);
}

function renderWith(engine: Engine, format: 'html' | 'text', citations: Citation[], cited: string[]): { citations: string[]; bibliography: string[] } {
  const rendered = engine.rebuildProcessorState(citations, format, []);
  const byId = new Map(rendered.map(([citationID, , output]) => [citationID, output]));
  engine.updateItems(cited);
  const result = engine.makeBibliography();
  return { citations: citations.map((c) => byId.get(c.citationID) ?? ''), bibliography: result ? result[1].map((entry) => entry.trim()) : [] };
}

/**
 * Render cites in document order and the bibliography, with a one-off renderer.
 * Prefer a long-lived {@link CitationRenderer}: building one costs about a second.
 */
export function renderCitations(input: RenderCitationsInput): RenderedCitations {
  return new CitationRenderer(input.styleXml, input.localeXml).render(input.items, input.cites);
}

/** The `<title>` of a CSL style, or "Unnamed style" when it has none. */
export function styleTitle(styleXml: string): string {
  const m = /<info>[\s\S]*?<title>([^<]*)<\/title>/.exec(styleXml);
  return m?.[1]?.trim() || 'Unnamed style';
}
