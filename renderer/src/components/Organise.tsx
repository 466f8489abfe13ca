/**
 * Organising the library: tags on quotes and sources (chips, add with autocomplete,
 * remove), the filter bar, adding items to a project, and backlinks ("Used in 2 memos",
 * each memo a jump to the place).
 *
 * Every change goes through the contract (`tags.add`, `tags.remove`, `projects.addItems`)
 * and then calls `onChanged` so the lists read the library again. Errors are shown, never
 * swallowed.
 */
import { useEffect, useId, useState } from 'react';
import type { Backlink, Project, Tag } from '../../../shared/contract';
import type { TagRef } from '../../../shared/model';
import { api } from '../api';
import { useNotify } from './Notifications';
import type { LibraryFilters } from './SearchPanel';

/** What a tag row is attached to. */
export type Taggable = { kind: 'quote'; id: string } | { kind: 'source'; id: string };

const idsOf = (target: Taggable) => (target.kind === 'quote' ? { quoteIds: [target.id] } : { sourceIds: [target.id] });

/**
 * A quote's or source's tags as chips (× removes one) and "+ tag", which opens a field
 * that suggests the library's tags (a datalist) and adds on Enter (a new name makes a new tag).
 */
export function TagRow({ target, tags, allTags, label, onChanged }: { target: Taggable; tags: readonly TagRef[]; allTags: readonly Tag[]; label: string; onChanged(): void }) {
  const notify = useNotify();
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const listId = useId();
  const add = async () => {
    const clean = name.trim();
    if (!clean) {
      setAdding(false);
      return;
    }
    const ok = await notify.attempt('The tag was not added', async () => {
      await api['tags.add']({ name: clean, ...idsOf(target) });
      return true;
    });
    if (ok) {
      setName('');
      setAdding(false);
      onChanged();
    }
  };
  const remove = (tag: TagRef) =>
    notify.attempt('The tag was not removed', async () => {
      await api['tags.remove']({ tagId: tag.id, ...idsOf(target) });
      onChanged();
    });
  const own = new Set(tags.map((t) => t.id));
  return (
    <div className="tag-row" aria-label={`Tags of ${label}`} role="group">
      {tags.map((tag) => (
        <span key={tag.id} className="tag-chip" data-testid="tag-chip">
          <span className="tag-chip-name">{tag.name}</span>
          <button type="button" className="tag-chip-remove" aria-label={`Remove tag ${tag.name}`} title={`Remove tag “${tag.name}”`} onClick={() => void remove(tag)}>
            ×
          </button>
        </span>
      ))}
      {adding ? (
        <>
          <input
            className="tag-input"
            aria-label={`New tag for ${label}`}
            list={listId}
            value={name}
            autoFocus
            maxLength={100}
            placeholder="tag"
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Enter') {
                e.preventDefault();
                void add();
              } else if (e.key === 'Escape') {
                setName('');
                setAdding(false);
              }
            }}
            onBlur={() => !name.trim() && setAdding(false)}
          />
          <datalist id={listId}>
            {allTags
              .filter((t) => !own.has(t.id))
              .map((t) => (
                <option key={t.id} value={t.name} />
              ))}
          </datalist>
        </>
      ) : (
        <button type="button" className="tag-add" aria-label={`Add a tag to ${label}`} title="Add a tag" onClick={() => setAdding(true)}>
          + tag
        </button>
      )}
    </div>
  );
}

/** A select that adds an item to a project ("⊞ Project…"). */
export function AddToProject({ projects, items, label, onChanged }: { projects: readonly Project[]; items: { sourceIds?: string[]; quoteIds?: string[]; memoIds?: string[] }; label: string; onChanged(): void }) {
  const notify = useNotify();
  if (projects.length === 0) return null;
  return (
    <select
      className="add-to-project"
      aria-label={`Add ${label} to a project`}
      title="Add to a project"
      value=""
      onChange={(e) => {
        const id = e.target.value;
        if (!id) return;
        const project = projects.find((p) => p.id === id);
        void notify.attempt('Not added to the project', async () => {
          await api['projects.addItems']({ id, ...items });
          notify.info(`Added to the project “${project?.name ?? ''}”`);
          onChanged();
        });
      }}
    >
      <option value="">⊞ Project…</option>
      {projects.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
  );
}

/** Where a backlink jump goes: the memo, and the quote or source whose first use to show. */
export interface BacklinkJump {
  memoId: string;
  quoteId?: string;
  sourceId?: string;
  /** The 0-based index of the first use among the memo's cites, in document order. */
  position: number;
}

/** Backlinks read for this library version, so a list scrolled back and forth asks once. */
const backlinkCache = new Map<string, Promise<Backlink[]>>();

/** The memos that use a quote or source (cached per library version). */
export function loadBacklinks(target: Taggable, version: number): Promise<Backlink[]> {
  const key = `${target.kind}:${target.id}:${version}`;
  let found = backlinkCache.get(key);
  if (!found) {
    if (backlinkCache.size > 5000) backlinkCache.clear();
    found = target.kind === 'quote' ? api['quotes.backlinks']({ id: target.id }) : api['sources.backlinks']({ id: target.id });
    backlinkCache.set(key, found);
    found.catch(() => backlinkCache.delete(key));
  }
  return found;
}

/**
 * "Used in 2 memos": the memos that use a quote or source; pressing it lists them, each a
 * jump to its first use. Shows nothing while unknown, "Not used in a memo" when none.
 */
export function UsedIn({ target, version, onJump }: { target: Taggable; version: number; onJump(jump: BacklinkJump): void }) {
  const [links, setLinks] = useState<Backlink[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const listId = useId();
  useEffect(() => {
    let live = true;
    loadBacklinks(target, version).then(
      (found) => live && (setLinks(found), setFailed(null)),
      (error: unknown) => live && setFailed((error as Error).message),
    );
    return () => {
      live = false;
    };
  }, [target.kind, target.id, version]); // eslint-disable-line react-hooks/exhaustive-deps
  if (failed) return <span className="used-in failed" title={failed}>Uses unknown</span>;
  if (!links) return null;
  if (links.length === 0) return <span className="used-in none" data-testid="used-in">Not used in a memo</span>;
  return (
    <span className="used-in-wrap">
      <button type="button" className="used-in" data-testid="used-in" aria-expanded={open} aria-controls={listId} onClick={() => setOpen((v) => !v)} title="The memos that use it">
        Used in {links.length} {links.length === 1 ? 'memo' : 'memos'} {open ? '▴' : '▾'}
      </button>
      {open && (
        <ul id={listId} className="backlink-list" aria-label="Memos using it">
          {links.map((link) => (
            <li key={link.memoId}>
              <button
                type="button"
                className="backlink"
                onClick={() => onJump({ memoId: link.memoId, position: link.firstPosition, ...(target.kind === 'quote' ? { quoteId: target.id } : { sourceId: target.id }) })}
                title="Open the memo at this use"
              >
                ↪ {link.memoTitle}
                {link.count > 1 && <span className="backlink-count"> ({link.count}×)</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}

/** The filter bar: speaker, tag, date added, used in memos. */
export function FilterBar({ filters, tags, onChange }: { filters: LibraryFilters; tags: readonly Tag[]; onChange(filters: LibraryFilters): void }) {
  const set = (patch: Partial<LibraryFilters>) => onChange({ ...filters, ...patch });
  const active = !!(filters.speaker?.trim() || filters.tagId || filters.addedFrom || filters.addedTo || filters.used !== undefined);
  return (
    <div className="filter-bar" role="group" aria-label="Filters">
      <input aria-label="Filter by speaker" placeholder="Speaker" value={filters.speaker ?? ''} onChange={(e) => set({ speaker: e.target.value })} />
      <select aria-label="Filter by tag" value={filters.tagId ?? ''} onChange={(e) => set({ tagId: e.target.value || undefined })}>
        <option value="">Any tag</option>
        {tags.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <select aria-label="Filter by use in memos" value={filters.used === undefined ? '' : filters.used ? 'used' : 'unused'} onChange={(e) => set({ used: e.target.value === '' ? undefined : e.target.value === 'used' })}>
        <option value="">Used or not</option>
        <option value="used">Used in a memo</option>
        <option value="unused">Not used yet</option>
      </select>
      <label className="filter-date">
        from <input type="date" aria-label="Added from" value={filters.addedFrom ?? ''} onChange={(e) => set({ addedFrom: e.target.value || undefined })} />
      </label>
      <label className="filter-date">
        to <input type="date" aria-label="Added to" value={filters.addedTo ?? ''} onChange={(e) => set({ addedTo: e.target.value || undefined })} />
      </label>
      {active && (
        <button type="button" className="button small" onClick={() => onChange({ sourceId: filters.sourceId, projectId: filters.projectId })}>
          Clear filters
        </button>
      )}
    </div>
  );
}
