/**
 * Citations and bibliographies, rendered by citeproc-js (the CSL processor Zotero uses,
 * https://citeproc-js.readthedocs.io/) from CSL-JSON items and a CSL style.
 *
 * Pure: the caller passes the style and locale XML as strings (the services read
 * them from `electron/resources/csl/` or the library's own styles). All cites of one
 * memo go through one engine in document order (`rebuildProcessorState`), so rules
 * that depend on position come out as the style says: "ibid." and short subsequent
 * notes in note styles, disambiguation (2021a/2021b, added initials), "et al." rules.
 */
import CSL, { type Citation, type Engine } from 'citeproc';
import { mapStrings, type CslItem } from './model';

/**
 * One cite: the item (source) cited, with an optional locator (e.g. "4" with label
 * "paragraph"), and text the style puts before or after it ("see", "emphasis added").
 */
export interface CiteInput {
  itemId: string;
  locator?: string;
  /** A CSL locator term: "page", "paragraph", "section", ... (CSL 1.0.2 appendix III). Default "page". */
  label?: string;
  prefix?: string;
  suffix?: string;
  /** Leave the author out ("(2021, p. 4)") because the sentence names them: CSL's suppress-author. */
  suppressAuthor?: boolean;
  /** Join the cite before it in one citation ("(Doe, 2020; Roe, 2021)", one note); it then renders as ''. */
  groupWithPrevious?: boolean;
}

/** A citation or bibliography entry in both of citeproc-js's output formats. */
export interface RenderedText {
  html: string;
  text: string;
}

/**
 * A rendered cite: its text and, in a note style, the number of the note it fills (1-based);
 * null in in-text styles. A cite grouped with the one before it has empty text (the group's
 * text is on its first cite) and the group's note number.
 */
export interface RenderedCite extends RenderedText {
  noteNumber: number | null;
}

/** The rendered citations (same order as the cites) and the bibliography (style order). */
export interface RenderedCitations {
  citations: RenderedCite[];
  bibliography: RenderedText[];
}

/** What a CSL style says about itself (CSL 1.0.2 §3.3 "Style" and §3.4 "Info"). */
export interface StyleInfo {
  title: string;
  /** `class` of `<style>`: citations in the text, or in notes. */
  class: 'in-text' | 'note';
  /** True when the style has a `<bibliography>` element. */
  hasBibliography: boolean;
  /** The style's `default-locale`, or null. */
  defaultLocale: string | null;
}

/** A CSL style that cannot be used, with a message for the user. */
export class StyleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StyleError';
  }
}

/**
 * Read a style's title, class, bibliography and default locale, checking it is an
 * independent CSL style (CSL 1.0.2 §3.3: root `<style xmlns="http://purl.org/net/xbiblio/csl">`
 * with a `<citation>` element).
 * @throws StyleError when the text is not such a style (a dependent style names its parent).
 */
export function readStyleInfo(styleXml: string): StyleInfo {
  const head = styleXml.replace(/^\uFEFF/, '').replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '').trimStart();
  const root = /^<style\b([^>]*)>/.exec(head);
  if (!root) throw new StyleError('This is not a CSL style: the file does not start with a <style> element.');
  const attrs = root[1]!;
  if (!/xmlns\s*=\s*["']http:\/\/purl\.org\/net\/xbiblio\/csl["']/.test(attrs)) throw new StyleError('This is not a CSL style: <style> lacks the CSL namespace (http://purl.org/net/xbiblio/csl).');
  const cls = /\sclass\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1];
  if (!/<citation\b/.test(head)) {
    const parent = /<link[^>]*rel\s*=\s*["']independent-parent["'][^>]*>/.exec(head)?.[0];
    const href = parent ? /href\s*=\s*["']([^"']*)["']/.exec(parent)?.[1] : undefined;
    throw new StyleError(href ? `This is a dependent style that only points to ${href}: add that parent style instead.` : 'This CSL style has no <citation> element, so it cannot cite anything.');
  }
  if (cls !== 'in-text' && cls !== 'note') throw new StyleError(`This CSL style's class is ${JSON.stringify(cls ?? '')}; it must be "in-text" or "note".`);
  const title = /<info>[\s\S]*?<title>([^<]*)<\/title>/.exec(head)?.[1]?.trim() || 'Unnamed style';
  return {
    title: decodeXmlText(title),
    class: cls,
    hasBibliography: /<bibliography\b/.test(head),
    defaultLocale: /\sdefault-locale\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1] ?? null,
  };
}

function decodeXmlText(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);
}

/**
 * A style's citeproc-js engine for one locale, built once and reused: building it takes
 * one to two seconds for APA 7 or Chicago (measured here), rendering a memo's cites
 * then takes milliseconds. The same engine renders HTML and plain text. Each `render` call rebuilds the engine's
 * citation state from scratch, so one call is one memo in document order.
 *
 * citeproc-js caches items by id and does not refetch an id it has seen, so each item
 * enters the engine under an id that includes a fingerprint of its CSL-JSON: an edited
 * source is a new item to the engine and is never rendered stale.
 */
export class CitationRenderer {
  readonly info: StyleInfo;
  private engineInstance: Engine | null = null;
  private items = new Map<string, CslItem>();

  /**
   * @param styleXml a CSL 1.0 style, as XML text.
   * @param localeXml locale XML by language tag ("en-US"); null for one not shipped (en-US is used).
   * @param lang the locale to render in; '' or undefined for the style's default-locale (else en-US).
   * @throws StyleError when `styleXml` is not an independent CSL style.
   */
  constructor(
    private readonly styleXml: string,
    private readonly localeXml: (lang: string) => string | null,
    private readonly lang?: string,
  ) {
    this.info = readStyleInfo(styleXml);
  }

  /** The one engine, built on first use; it renders both formats (setOutputFormat switches between them cheaply). */
  private engine(): Engine {
    let engine = this.engineInstance;
    if (!engine) {
      const sys = {
        retrieveLocale: (lang: string) => this.localeXml(lang) ?? this.localeXml('en-US'),
        retrieveItem: (id: string) => {
          const item = this.items.get(id);
          if (!item) throw new Error(`citeproc asked for an item that was not given: ${id}`);
          return { ...item, id };
        },
      };
      engine = this.lang ? new CSL.Engine(sys, this.styleXml, this.lang, true) : new CSL.Engine(sys, this.styleXml);
      // Make URLs and DOIs in bibliographies working links.
      (engine as unknown as { opt: { development_extensions: { wrap_url_and_doi: boolean } } }).opt.development_extensions.wrap_url_and_doi = true;
      this.engineInstance = engine;
    }
    return engine;
  }

  /** Build the engine now (at start-up or when a memo opens, off the path of the first citation). */
  warm(): void {
    this.engine();
  }

  /**
   * Render cites in document order and the bibliography of every item cited, each once.
   * In a note style each cite fills its own note, numbered from 1 in document order.
   * @throws Error from citeproc-js when the style is broken or a cite names an item not in `items`.
   */
  render(items: ReadonlyMap<string, CslItem>, cites: readonly CiteInput[]): RenderedCitations {
    try {
      return this.renderOnce(items, cites);
    } catch (error) {
      // citeproc-js may be left half-updated by a failure: the next call builds a fresh engine.
      this.engineInstance = null;
      throw error;
    }
  }

  private renderOnce(items: ReadonlyMap<string, CslItem>, cites: readonly CiteInput[]): RenderedCitations {
    if (cites.length === 0) return { citations: [], bibliography: [] };
    const engineId = new Map<string, string>();
    this.items = new Map();
    for (const [id, item] of items) {
      const versioned = `${id}@${fingerprint(JSON.stringify(item))}`;
      engineId.set(id, versioned);
      this.items.set(versioned, mapStrings(item, guardPrototypeName));
    }
    const note = this.info.class === 'note';
    // Cites marked groupWithPrevious join the citation before them: one cluster, one note.
    const citations: Citation[] = [];
    const clusterOf: number[] = [];
    cites.forEach((cite, index) => {
      const id = engineId.get(cite.itemId);
      if (!id) throw new Error(`A cite names an item that was not given: ${cite.itemId}`);
      const item = {
        id,
        ...(cite.locator?.trim() ? { locator: cite.locator.trim(), label: cite.label ?? 'page' } : {}),
        ...(cite.prefix?.trim() ? { prefix: `${cite.prefix.trim()} ` } : {}),
        ...(cite.suffix?.trim() ? { suffix: `${/^[,;.]/.test(cite.suffix.trim()) ? '' : ', '}${cite.suffix.trim()}` } : {}),
        ...(cite.suppressAuthor ? { 'suppress-author': true } : {}),
      };
      if (cite.groupWithPrevious && citations.length > 0) citations[citations.length - 1]!.citationItems.push(item);
      else citations.push({ citationID: `c${index}`, citationItems: [item], properties: { noteIndex: note ? citations.length + 1 : 0 } });
      clusterOf.push(citations.length - 1);
    });
    const cited = [...new Set(citations.flatMap((c) => c.citationItems.map((item) => item.id)))];
    startNewDocument(this.engine());
    const out = { html: renderWith(this.engine(), 'html', citations, cited), text: renderWith(this.engine(), 'text', citations, cited) };
    return {
      citations: cites.map((cite, i) => {
        const cluster = clusterOf[i]!;
        const noteNumber = note ? cluster + 1 : null;
        // The cluster's text goes with its first cite; the others it took in show nothing of their own.
        if (i > 0 && clusterOf[i - 1] === cluster) return { html: '', text: '', noteNumber };
        const h = unguard(out.html.citations[cluster] ?? '');
        // A note begins a sentence: a prefix typed in lower case ("see") starts it with a capital
        // (as pandoc and Zotero do); a style's own lower-case opening such as OSCOLA's "ibid" stays.
        const capitalize = note && !!cite.prefix?.trim();
        const text = unguard(out.text.citations[cluster] ?? '');
        return { html: capitalize ? capitalizeFirst(citeprocStylesToClasses(h)) : citeprocStylesToClasses(h), text: capitalize ? capitalizeFirst(text) : text, noteNumber };
      }),
      bibliography: out.html.bibliography.map((h, i) => ({ html: citeprocStylesToClasses(unguard(h)), text: unguard(out.text.bibliography[i] ?? '') })),
    };
  }
}

/**
 * citeproc-js keeps rendered names and titles as keys of plain objects, so a title or
 * name that is exactly a property of Object.prototype ("toString", "constructor",
 * "__proto__") breaks its disambiguation and the engine with it. Such values enter the
 * engine with an invisible separator (U+2063) appended, which {@link unguard} takes out
 * of the output again.
 */
const GUARD = '\u2063';
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

function guardPrototypeName(text: string): string {
  return PROTOTYPE_NAMES.has(text.trim()) ? text + GUARD : text;
}

function unguard(text: string): string {
  return text.includes(GUARD) ? text.split(GUARD).join('') : text;
}

/** The inline CSS citeproc-js writes (CSL formatting attributes) and the class each becomes. */
const CITEPROC_STYLE_CLASSES: Record<string, string> = {
  'font-variant:small-caps': 'csl-small-caps',
  'font-variant:normal': 'csl-normal-variant',
  'font-style:normal': 'csl-normal-style',
  'font-style:italic': 'csl-italic',
  'font-weight:normal': 'csl-normal-weight',
  'font-weight:bold': 'csl-bold',
  'text-decoration:underline': 'csl-underline',
  'text-decoration:none': 'csl-no-decoration',
  'white-space:nowrap': 'csl-nowrap',
};

/**
 * citeproc-js formats with inline `style` attributes (small caps for Bluebook, upright
 * text inside italics...). Style attributes are not let through the HTML sanitizer (CSS
 * can carry URLs), so each known declaration becomes a class the app's and the PDF's CSS
 * define; unknown ones are dropped.
 */
export function citeprocStylesToClasses(html: string): string {
  return html.replace(/<span style="([^"]*)">/g, (_, css: string) => {
    const classes = css
      .split(';')
      .map((d) => d.replace(/\s+/g, '').toLowerCase())
      .filter(Boolean)
      .map((d) => CITEPROC_STYLE_CLASSES[d])
      .filter((c): c is string => c !== undefined);
    return classes.length ? `<span class="${classes.join(' ')}">` : '<span>';
  });
}

/** Upper-case the first letter of the text, skipping leading tags and entities in HTML. */
export function capitalizeFirst(text: string): string {
  return text.replace(/^((?:\s|<[^>]*>|&[a-z#0-9]+;)*)(\p{Ll})/u, (_, lead: string, letter: string) => lead + letter.toUpperCase());
}

/** FNV-1a 32-bit hash, hex: a cheap fingerprint to tell item and style versions apart (not for security). */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16);
}

/**
 * Empty an engine's registry, as a new engine starts, keeping the parsed style and locales
 * (the costly part). citeproc-js 2.4.63 carries disambiguation state from one
 * `rebuildProcessorState` to the next: an item whose short form changed ("Roe, 2020" →
 * "A. Roe, 2020") stays listed under its first form, so once it is dropped the next item
 * with that form makes the engine fetch it ("Cannot read properties of undefined (reading
 * 'id')" in Disambiguation.getCiteData), and items that stay keep initials they no longer
 * need. Every render is one whole document, so it starts from an empty registry, with the
 * same three assignments citeproc-js's own `restoreProcessorState([])` uses to reset.
 */
function startNewDocument(engine: Engine): void {
  const internals = engine as unknown as { registry: unknown; tmp: unknown; disambiguate: unknown };
  const csl = CSL as unknown as { Registry: new (state: unknown) => unknown; Engine: { Tmp: new () => unknown }; Disambiguation: new (state: unknown) => unknown };
  internals.registry = new csl.Registry(engine);
  internals.tmp = new csl.Engine.Tmp();
  internals.disambiguate = new csl.Disambiguation(engine);
}

function renderWith(engine: Engine, format: 'html' | 'text', citations: Citation[], cited: string[]): { citations: string[]; bibliography: string[] } {
  engine.setOutputFormat(format);
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
export function renderCitations(input: { styleXml: string; localeXml: (lang: string) => string | null; lang?: string; items: ReadonlyMap<string, CslItem>; cites: readonly CiteInput[] }): RenderedCitations {
  return new CitationRenderer(input.styleXml, input.localeXml, input.lang).render(input.items, input.cites);
}

/** The `<title>` of a CSL style, or "Unnamed style" when it has none. */
export function styleTitle(styleXml: string): string {
  const m = /<info>[\s\S]*?<title>([^<]*)<\/title>/.exec(styleXml);
  return m?.[1]?.trim() || 'Unnamed style';
}
