/**
 * The library panel: import actions, the project switcher, one search box over quotes,
 * sources and memos (grouped results while a query is typed), the filter bar, and the
 * lists of sources, quotes (draggable cards, sortable) and memos, each virtualized and
 * read from the contract a page at a time. Quote cards and sources carry their tags and
 * backlinks ("Used in 2 memos").
 */
import { useRef, useState, type DragEvent, type ReactNode, type RefObject } from 'react';
import { QUOTE_SORTS, type Project, type QuoteSort, type Tag } from '../../../shared/contract';
import { QUOTE_DRAG_MIME, type QuoteDragPayload } from '../../../shared/memoDocument';
import type { MemoSummary, Quote, SourceSummary } from '../../../shared/model';
import { IMPORT_ACCEPT } from '../../../shared/importFormats';
import { readingText } from '../../../shared/normalize';
import { VirtualList, type VirtualRowProps } from './VirtualList';
import { AddToProject, FilterBar, TagRow, UsedIn, type BacklinkJump } from './Organise';
import { focusFirstResult, SearchResults, type LibraryFilters, type SearchAnswer } from './SearchPanel';

/** How the quote list's sort choices read. */
const SORT_LABELS: Record<QuoteSort, string> = { added: 'Newest first', 'source-order': 'Source order', speaker: 'Speaker A–Z' };


interface Props {
  sources: SourceSummary[];
  quotes: Quote[];
  memos: MemoSummary[];
  /** How many rows each whole list has (the lists hold the pages read so far). */
  totals: { sources: number; quotes: number; memos: number };
  /** Read the next page of a list (called as its end scrolls into view). */
  onMore: { sources(): void; quotes(): void; memos(): void };
  /** The search's grouped answer (null while none), and whether a newer one is on its way. */
  search: { answer: SearchAnswer | null; pending: boolean };
  filters: LibraryFilters;
  onFilters(filters: LibraryFilters): void;
  sort: QuoteSort;
  onSort(sort: QuoteSort): void;
  tags: Tag[];
  projects: Project[];
  /** The library version, for backlinks read once per change. */
  version: number;
  /** Something was tagged or added to a project: read the lists again. */
  onChanged(): void;
  onJump(jump: BacklinkJump): void;
  onManageTags(): void;
  onNewProject(name: string): Promise<boolean>;
  /** Open a quote found by search in its source. */
  onOpenQuoteId(id: string, sourceId: string): void;
  openSourceId: string | null;
  openMemoId: string | null;
  query: string;
  scope: 'all' | 'source';
  busy: string | null;
  onQuery(query: string): void;
  onScope(scope: 'all' | 'source'): void;
  onImportFiles(files: File[]): void;
  onPaste(): void;
  onImportUrl(): void;
  onOpenSource(id: string): void;
  onOpenQuote(quote: Quote): void;
  onDeleteQuote(quote: Quote): void;
  /** Insert a quote at the open memo's cursor; null when no memo is open. */
  onInsertQuote: ((quote: Quote) => void) | null;
  onDeleteSource(source: SourceSummary): void;
  /** Insert a plain citation of a source at the memo's cursor (asks for a locator first); null when no memo is open. */
  onCiteSource: ((source: SourceSummary) => void) | null;
  onEditQuote(quote: Quote): void;
  /** Copy a quote with its citation (in the open memo's style) to the clipboard. */
  onCopyQuote(quote: Quote): void;
  /** Export sources as BibTeX, RIS or CSL-JSON. */
  onExport(): void;
  onAbout(): void;
  /** Open the Backups dialog (back up now, restore). */
  onBackups(): void;
  onNewMemo(): void;
  onOpenMemo(id: string): void;
  onDeleteMemo(memo: MemoSummary): void;
  searchRef: React.RefObject<HTMLInputElement | null>;
}

function Section({ title, count, actions, children, className, bodyRef }: { title: string; count: number; actions?: ReactNode; children: ReactNode; className?: string; bodyRef?: RefObject<HTMLDivElement | null> }) {
  return (
    <section className={`library-section ${className ?? ''}`} aria-label={title}>
      <header className="library-section-header">
        <h2>
          {title} <span className="count">{count}</span>
        </h2>
        {actions}
      </header>
      <div className="library-section-body" ref={bodyRef}>
        {children}
      </div>
    </section>
  );
}

/** What a source's list line says after its quote count: its container and year if known, else where it came from. */
function sourceMeta(s: SourceSummary): string {
  const year = s.csl.issued?.['date-parts']?.[0]?.[0];
  const known = [s.csl['container-title'], year].filter(Boolean).join(', ');
  if (known) return known;
  return s.origin.kind === 'sample' ? 'sample' : `added ${formatDate(s.createdAt)}`;
}

function formatDate(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** A draggable quote card: text, speaker, citation. */
/** "para. 6", "p. 4": a quote's locator as the card shows it. */
function locatorText(quote: Quote): string {
  if (!quote.locator) return '';
  const short: Record<string, string> = { paragraph: 'para.', page: 'p.', section: 'sec.', chapter: 'chap.', line: 'l.', note: 'n.', figure: 'fig.', table: 'tbl.', column: 'col.', folio: 'fol.', volume: 'vol.', number: 'no.', part: 'pt.', timestamp: '' };
  return `${short[quote.locatorLabel] ?? quote.locatorLabel} ${quote.locator}`.trim();
}

interface CardExtras {
  tags: Tag[];
  projects: Project[];
  version: number;
  onChanged(): void;
  onJump(jump: BacklinkJump): void;
}

function QuoteCard({ quote, row, extras, onOpen, onDelete, onInsert, onEdit, onCopy }: { quote: Quote; row: VirtualRowProps; extras: CardExtras; onOpen(): void; onDelete(): void; onInsert: (() => void) | null; onEdit(): void; onCopy(): void }) {
  const label = `quote “${quote.textQuote.exact.slice(0, 40)}”`;
  const onDragStart = (event: DragEvent) => {
    const payload: QuoteDragPayload = { v: 1, quoteId: quote.id };
    event.dataTransfer.setData(QUOTE_DRAG_MIME, JSON.stringify(payload));
    event.dataTransfer.setData('text/plain', `${quote.textQuote.exact} ${quote.citation}`);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <li {...row} className={`quote-card ${quote.anchor.status === 'anchored' ? '' : quote.anchor.status}`} draggable onDragStart={onDragStart} data-quote-id={quote.id} title="Drag into a memo, or click to see it in its source">
      <button type="button" className="quote-card-open" onClick={onOpen}>
        <blockquote className="quote-card-text" dir="auto">{readingText(quote.textQuote.exact)}</blockquote>
        <div className="quote-card-meta">
          {quote.anchor.status === 'changed' && <span className="anchor-badge" title="The source’s wording changed here: review it in the reader">Changed in source</span>}
          {quote.anchor.status === 'orphaned' && <span className="anchor-badge" title="Its passage is no longer in the source’s text; the quote is kept">Orphan: passage not found</span>}
          {quote.speaker && <span className="quote-card-speaker">{quote.speaker}</span>}
          <span className="quote-card-citation">{quote.citation}</span>
          {quote.locator && <span className="quote-card-locator">{locatorText(quote)}</span>}
        </div>
        {quote.note && <p className="quote-card-note">{quote.note}</p>}
      </button>
      <div className="quote-card-extra">
        <TagRow target={{ kind: 'quote', id: quote.id }} tags={quote.tags} allTags={extras.tags} label={label} onChanged={extras.onChanged} />
        <UsedIn target={{ kind: 'quote', id: quote.id }} version={extras.version} onJump={extras.onJump} />
        <AddToProject projects={extras.projects} items={{ quoteIds: [quote.id] }} label={label} onChanged={extras.onChanged} />
      </div>
      <div className="quote-card-tools">
        {onInsert && (
          <button type="button" className="icon-button" aria-label={`Insert into memo: ${quote.textQuote.exact.slice(0, 60)}`} title="Insert into the memo at the cursor" onClick={onInsert}>
            ↳
          </button>
        )}
        <button type="button" className="icon-button" aria-label={`Copy with citation: ${quote.textQuote.exact.slice(0, 60)}`} title="Copy the quote with its citation" onClick={onCopy}>
          ❐
        </button>
        <button type="button" className="icon-button" aria-label={`Edit quote: ${quote.textQuote.exact.slice(0, 60)}`} title="Edit speaker, note and locator" onClick={onEdit}>
          ✎
        </button>
        <button type="button" className="icon-button" aria-label={`Delete quote: ${quote.textQuote.exact.slice(0, 60)}`} title="Delete quote" onClick={onDelete}>
          ×
        </button>
      </div>
    </li>
  );
}

/** The left pane. */
export function LibraryPanel(props: Props) {
  const fileInput = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLElement>(null);
  const sourcesBody = useRef<HTMLDivElement>(null);
  const quotesBody = useRef<HTMLDivElement>(null);
  const memosBody = useRef<HTMLDivElement>(null);
  const resultsRef = useRef<HTMLDivElement>(null);
  const [showFilters, setShowFilters] = useState(false);
  const [newProject, setNewProject] = useState<string | null>(null);
  const extras: CardExtras = { tags: props.tags, projects: props.projects, version: props.version, onChanged: props.onChanged, onJump: props.onJump };
  const searching = props.query.trim() !== '';
  const filterCount = [props.filters.speaker?.trim(), props.filters.tagId, props.filters.addedFrom, props.filters.addedTo, props.filters.used !== undefined ? 'u' : ''].filter(Boolean).length;
  const project = props.projects.find((p) => p.id === props.filters.projectId);
  const openSource = props.sources.find((s) => s.id === props.openSourceId);
  return (
    <aside ref={panel} className="pane library" aria-label="Library">
      <div className="library-top">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            “
          </span>
          Verbatim
          <button type="button" className="icon-button about-button" aria-label="About Verbatim" title="About Verbatim and credits" onClick={props.onAbout}>
            i
          </button>
          <button type="button" className="button small backups-button" title="Back up the library, or restore a backup" onClick={props.onBackups}>
            Backups
          </button>
        </div>
        <div className="library-actions">
          <button type="button" className="button" onClick={() => fileInput.current?.click()} title="Import articles (.pdf, .docx, .epub, .html, .mhtml, .txt, .md) or bibliographies (.bib, .ris, CSL-JSON); several at once (Ctrl+O)">
            Import…
          </button>
          <button type="button" className="button" onClick={props.onPaste} title="Make a source from pasted text">
            Paste text
          </button>
          <button type="button" className="button" onClick={props.onImportUrl} title="Import a web page by its address (needs a network connection)">
            URL…
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            accept={IMPORT_ACCEPT}
            data-testid="import-input"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              e.target.value = '';
              if (files.length) props.onImportFiles(files);
            }}
          />
        </div>
        {props.busy && (
          <div className="busy" role="status">
            <span className="spinner" aria-hidden /> {props.busy}
          </div>
        )}
        <div className="project-bar">
          <select aria-label="Project" value={props.filters.projectId ?? ''} onChange={(e) => props.onFilters({ ...props.filters, projectId: e.target.value || undefined })} title="Show one project's sources, quotes and memos">
            <option value="">All of the library</option>
            {props.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.sourceCount + p.quoteCount + p.memoCount})
              </option>
            ))}
          </select>
          {newProject === null ? (
            <button type="button" className="button small" onClick={() => setNewProject('')} title="Create a project (a collection of sources, quotes and memos)">
              New project
            </button>
          ) : (
            <input
              aria-label="New project name"
              placeholder="Project name, Enter"
              value={newProject}
              maxLength={100}
              autoFocus
              onChange={(e) => setNewProject(e.target.value)}
              onBlur={() => !newProject.trim() && setNewProject(null)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setNewProject(null);
                if (e.key === 'Enter' && newProject.trim()) void props.onNewProject(newProject).then((ok) => ok && setNewProject(null));
              }}
            />
          )}
          <button type="button" className="button small" onClick={props.onManageTags} title="Rename, merge or delete tags">
            Tags…
          </button>
        </div>
        <div className="search-row">
          <input
            ref={props.searchRef}
            className="search"
            type="search"
            placeholder="Search quotes, sources, memos…"
            aria-label="Search quotes, sources and memos"
            value={props.query}
            onChange={(e) => props.onQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown' && focusFirstResult(resultsRef.current)) e.preventDefault();
              if (e.key === 'Escape' && props.query) props.onQuery('');
            }}
          />
          <button type="button" className="button small" aria-expanded={showFilters} onClick={() => setShowFilters((v) => !v)} title="Filter by speaker, tag, date added, use in memos">
            Filters{filterCount > 0 ? ` (${filterCount})` : ''}
          </button>
        </div>
        {showFilters && <FilterBar filters={props.filters} tags={props.tags} onChange={props.onFilters} />}
        {project && (
          <p className="project-note" role="status">
            Showing the project “{project.name}”.
          </p>
        )}
      </div>

      {searching && (
        <SearchResults
          query={props.query}
          answer={props.search.answer}
          pending={props.search.pending}
          searchRef={props.searchRef}
          resultsRef={resultsRef}
          onOpenQuote={props.onOpenQuoteId}
          onOpenSource={props.onOpenSource}
          onOpenMemo={props.onOpenMemo}
        />
      )}
      {!searching && (
        <>

      <Section
        title="Sources"
        count={props.totals.sources}
        className="sources"
        bodyRef={sourcesBody}
        actions={
          <button type="button" className="button small" onClick={props.onExport} disabled={props.sources.length === 0} title="Export sources as BibTeX, BibLaTeX, RIS or CSL-JSON">
            Export…
          </button>
        }
      >
        {props.sources.length === 0 ? (
          <p className="empty">No sources yet. Import a file, paste text, or drop files here.</p>
        ) : (
          <VirtualList
            items={props.sources}
            getKey={(s) => s.id}
            estimateSize={52}
            className="source-list"
            scrollRef={sourcesBody}
            activeIndex={props.sources.findIndex((s) => s.id === props.openSourceId)}
            onNearEnd={props.onMore.sources}
            renderRow={(s, _i, row) => (
              <li {...row} className={`source-row${s.id === props.openSourceId ? ' active' : ''}`} data-source-id={s.id}>
                <div className="source-row-main">
                <button type="button" className="list-item" onClick={() => props.onOpenSource(s.id)} aria-current={s.id === props.openSourceId}>
                  <span className="list-item-title">{s.title}</span>
                  <span className="list-item-meta">
                    {s.quoteCount} {s.quoteCount === 1 ? 'quote' : 'quotes'} · {sourceMeta(s)}
                  </span>
                  {s.needsReview > 0 && <span className="anchor-badge">{s.needsReview} to review</span>}
                </button>
                {props.onCiteSource && (
                  <button type="button" className="icon-button" aria-label={`Cite ${s.title} in the memo`} title="Insert a citation of this source at the memo's cursor" onClick={() => props.onCiteSource!(s)}>
                    ❝
                  </button>
                )}
                <button type="button" className="icon-button" aria-label={`Delete source ${s.title}`} title="Delete source" onClick={() => props.onDeleteSource(s)}>
                  ×
                </button>
                </div>
                <div className="quote-card-extra">
                  <TagRow target={{ kind: 'source', id: s.id }} tags={s.tags} allTags={props.tags} label={`source ${s.title}`} onChanged={props.onChanged} />
                  <UsedIn target={{ kind: 'source', id: s.id }} version={props.version} onJump={props.onJump} />
                  <AddToProject projects={props.projects} items={{ sourceIds: [s.id] }} label={`source ${s.title}`} onChanged={props.onChanged} />
                </div>
              </li>
            )}
          />
        )}
      </Section>

      <Section
        title="Quotes"
        count={props.totals.quotes}
        className="quotes"
        bodyRef={quotesBody}
        actions={
          <div className="quotes-actions">
          <select aria-label="Sort quotes" value={props.sort} onChange={(e) => props.onSort(e.target.value as QuoteSort)}>
            {QUOTE_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </option>
            ))}
          </select>
          <div className="segmented" role="group" aria-label="Which quotes">
            <button type="button" aria-pressed={props.scope === 'all'} onClick={() => props.onScope('all')}>
              All
            </button>
            <button type="button" aria-pressed={props.scope === 'source'} disabled={!openSource} onClick={() => props.onScope('source')} title={openSource ? `Only quotes from ${openSource.title}` : 'Open a source first'}>
              This source
            </button>
          </div>
          </div>
        }
      >
        {props.quotes.length === 0 ? (
          <p className="empty">
            {filterCount > 0 || project ? 'No quote matches the filters.' : 'No quotes yet. Select a passage in the reader and choose “Save quote”.'}
          </p>
        ) : (
          <VirtualList
            items={props.quotes}
            getKey={(q) => q.id}
            estimateSize={110}
            gap={8}
            className="quote-list"
            scrollRef={quotesBody}
            onNearEnd={props.onMore.quotes}
            renderRow={(q, _i, row) => (
              <QuoteCard
                quote={q}
                row={row}
                extras={extras}
                onOpen={() => props.onOpenQuote(q)}
                onDelete={() => props.onDeleteQuote(q)}
                onInsert={props.onInsertQuote ? () => props.onInsertQuote!(q) : null}
                onEdit={() => props.onEditQuote(q)}
                onCopy={() => props.onCopyQuote(q)}
              />
            )}
          />
        )}
      </Section>

      <Section
        title="Memos"
        count={props.totals.memos}
        className="memos"
        bodyRef={memosBody}
        actions={
          <button type="button" className="button small" onClick={props.onNewMemo} title="New memo (Alt+N)">
            New memo
          </button>
        }
      >
        {props.memos.length === 0 ? (
          <p className="empty">No memos yet. Start one and drag quotes into it.</p>
        ) : (
          <VirtualList
            items={props.memos}
            getKey={(m) => m.id}
            estimateSize={48}
            className="memo-list"
            scrollRef={memosBody}
            activeIndex={props.memos.findIndex((m) => m.id === props.openMemoId)}
            onNearEnd={props.onMore.memos}
            renderRow={(m, _i, row) => (
              <li {...row} className={m.id === props.openMemoId ? 'active' : ''}>
                <button type="button" className="list-item" onClick={() => props.onOpenMemo(m.id)} aria-current={m.id === props.openMemoId}>
                  <span className="list-item-title">{m.title}</span>
                  <span className="list-item-meta">edited {formatDate(m.updatedAt)}</span>
                </button>
                <AddToProject projects={props.projects} items={{ memoIds: [m.id] }} label={`memo ${m.title}`} onChanged={props.onChanged} />
                <button type="button" className="icon-button" aria-label={`Delete memo ${m.title}`} title="Delete memo" onClick={() => props.onDeleteMemo(m)}>
                  ×
                </button>
              </li>
            )}
          />
        )}
      </Section>
        </>
      )}
    </aside>
  );
}
