/**
 * One search over quotes, sources and memos (issue 6), on SQLite FTS5
 * (https://www.sqlite.org/fts5.html): `quotes_fts` (migration 3), `sources_fts` and
 * `memos_fts` (migration 5), all with the unicode61 tokenizer and remove_diacritics 2, so
 * "muller" finds "Müller".
 *
 * - What the user types never reaches FTS5 as syntax: {@link searchMatch} quotes every word.
 * - Ranking is bm25 with column weights (FTS5's bm25() takes one weight per column; lower
 *   rank is better). A hit in a short, telling field counts more than one in the body:
 *   quotes: text 10, speaker 5, note 2; sources: title 10, authors 5, container title 3,
 *   text 1; memos: title 5, text 1. Ties go to the newest.
 * - Snippets come back as text parts ({@link parseSnippet}), never HTML.
 * Runs under plain Node; never imports 'electron'.
 */
import type { QuoteHit, SearchKind, SnippetPart, SourceHit, MemoHit } from '../../shared/contract';
import { sourceTitle } from '../../shared/model';
import type { Database } from './db';
import { dateBoundsSql, parseCsl, quoteFilterSql, type QuoteFilter } from './store';

/** bm25 column weights, in each index's column order (see the module comment for why). */
export const SEARCH_WEIGHTS = { quotes: [10, 5, 2], sources: [10, 5, 3, 1], memos: [5, 1] } as const;

/** Marks FTS5's snippet() puts around a hit: Unicode private-use characters, which text from imports does not carry (the importer keeps them, but they then only mark a word wrongly as a hit, never break a result). */
const OPEN = '\uE000';
const CLOSE = '\uE001';

/** Words as the search sees them: letters, digits and combining marks (the characters unicode61 keeps in tokens). */
const WORD_SPLIT = /[^\p{L}\p{N}\p{M}]+/u;

/**
 * Turn what a user types into a safe FTS5 MATCH expression
 * (https://www.sqlite.org/fts5.html#full_text_query_syntax): every word becomes a quoted
 * string ("word"), a "quoted phrase" stays one phrase, all must match (implicit AND), and the
 * last word, when it is a bare word with nothing typed after it, is a prefix ("mull"* finds
 * "Müller" while typing). Punctuation separates words and is otherwise dropped, so FTS5
 * operators (AND, OR, NOT, NEAR, *, ^, :, -, parentheses) typed by the user are searched as
 * words or ignored, and an unbalanced quote mark is a word boundary. Input is NFC-normalized.
 * Returns null when no word remains.
 */
export function searchMatch(input: string): string | null {
  const text = input.normalize('NFC');
  const terms: string[] = [];
  let lastBare = false;
  const re = /"([^"]*)"|([^\s"]+)|"/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] !== undefined) {
      const words = m[1].split(WORD_SPLIT).filter(Boolean);
      if (words.length > 0) {
        terms.push(`"${words.join(' ')}"`);
        lastBare = false;
      }
    } else if (m[2] !== undefined) {
      const words = m[2].split(WORD_SPLIT).filter(Boolean);
      for (const w of words) terms.push(`"${w}"`);
      if (words.length > 0) lastBare = true;
    }
  }
  if (terms.length === 0) return null;
  if (lastBare && !/[\s"]$/.test(text)) terms[terms.length - 1] = `${terms[terms.length - 1]}*`;
  return terms.join(' ');
}

/** Split a snippet made with {@link OPEN}/{@link CLOSE} marks into text parts; neighbours of the same kind are joined, empty parts dropped. */
export function parseSnippet(marked: string | null): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let hit = false;
  let buffer = '';
  const flush = () => {
    if (buffer === '') return;
    const last = parts[parts.length - 1];
    if (last && last.hit === hit) last.text += buffer;
    else parts.push({ text: buffer, hit });
    buffer = '';
  };
  for (const ch of marked ?? '') {
    if (ch === OPEN || ch === CLOSE) {
      flush();
      hit = ch === OPEN;
    } else buffer += ch;
  }
  flush();
  return parts;
}

/** What {@link searchLibrary} is asked: the text, the kinds (default all), the filters (see `search.query` in shared/contract.ts) and how many hits per kind (default 20, at most 200). */
export interface SearchRequest {
  q: string;
  kinds?: readonly SearchKind[];
  filters?: Omit<QuoteFilter, 'query' | 'ids' | 'sort' | 'offset' | 'limit'>;
  limit?: number;
}

/** Hits per kind, best first, and how many each kind has in all. */
export interface SearchResult {
  quotes: QuoteHit[];
  sources: SourceHit[];
  memos: MemoHit[];
  total: { quotes: number; sources: number; memos: number };
}

const weights = (w: readonly number[]) => w.map((n) => n.toFixed(1)).join(', ');

/**
 * Search the library. A kind is left out (no hits, total 0) when it is not asked for, or
 * when a filter is given that it does not have: `speaker` (sources, memos), `tagId` and
 * `used` (memos). For sources, `used` means cited by a memo; for memos, `sourceId` means
 * citing that source.
 */
export async function searchLibrary(db: Database, request: SearchRequest): Promise<SearchResult> {
  const out: SearchResult = { quotes: [], sources: [], memos: [], total: { quotes: 0, sources: 0, memos: 0 } };
  const match = searchMatch(request.q);
  if (match === null) return out;
  const kinds = new Set(request.kinds ?? ['quote', 'source', 'memo']);
  const f = request.filters ?? {};
  const limit = Math.min(Math.max(request.limit ?? 20, 1), 200);
  const snippet = (table: string, tokens: number) => `snippet(${table}, -1, '${OPEN}', '${CLOSE}', '…', ${tokens})`;

  if (kinds.has('quote')) {
    const where = ['quotes_fts MATCH ?'];
    const params: (string | number)[] = [match];
    quoteFilterSql(f, where, params);
    const rows = await db.all<{ id: string; source_id: string; csl: string; speaker: string; exact: string; created_at: string; score: number; snip: string }>(
      `SELECT q.id, q.source_id, s.csl, q.speaker, q.exact, q.created_at, bm25(quotes_fts, ${weights(SEARCH_WEIGHTS.quotes)}) AS score, ${snippet('quotes_fts', 32)} AS snip
       FROM quotes_fts JOIN quotes q ON q.rowid = quotes_fts.rowid JOIN sources s ON s.id = q.source_id
       WHERE ${where.join(' AND ')} ORDER BY score, q.created_at DESC, q.rowid DESC LIMIT ${limit}`,
      params,
    );
    out.quotes = rows.map((r) => ({ id: r.id, sourceId: r.source_id, sourceTitle: sourceTitle(parseCsl(r.csl, r.source_id)), speaker: r.speaker, exact: r.exact, snippet: parseSnippet(r.snip), rank: r.score, createdAt: r.created_at }));
    out.total.quotes = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM quotes_fts JOIN quotes q ON q.rowid = quotes_fts.rowid WHERE ${where.join(' AND ')}`, params))?.n ?? 0;
  }

  if (kinds.has('source') && f.speaker === undefined) {
    const where = ['sources_fts MATCH ?'];
    const params: (string | number)[] = [match];
    if (f.sourceId) {
      where.push('s.id = ?');
      params.push(f.sourceId);
    }
    if (f.tagId) {
      where.push('s.id IN (SELECT source_id FROM source_tags WHERE tag_id = ?)');
      params.push(f.tagId);
    }
    if (f.projectId) {
      where.push('s.id IN (SELECT source_id FROM project_sources WHERE project_id = ?)');
      params.push(f.projectId);
    }
    if (f.used === true) where.push('s.id IN (SELECT source_id FROM memo_quote_links)');
    if (f.used === false) where.push('NOT EXISTS (SELECT 1 FROM memo_quote_links l WHERE l.source_id = s.id)');
    dateBoundsSql('s.created_at', f, where, params);
    const rows = await db.all<{ id: string; csl: string; citation_key: string | null; created_at: string; score: number; snip: string }>(
      `SELECT s.id, s.csl, s.citation_key, s.created_at, bm25(sources_fts, ${weights(SEARCH_WEIGHTS.sources)}) AS score, ${snippet('sources_fts', 24)} AS snip
       FROM sources_fts JOIN sources s ON s.rowid = sources_fts.rowid
       WHERE ${where.join(' AND ')} ORDER BY score, s.created_at DESC, s.rowid DESC LIMIT ${limit}`,
      params,
    );
    out.sources = rows.map((r) => ({ id: r.id, title: sourceTitle(parseCsl(r.csl, r.id)), citationKey: r.citation_key ?? '', snippet: parseSnippet(r.snip), rank: r.score, createdAt: r.created_at }));
    out.total.sources = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM sources_fts JOIN sources s ON s.rowid = sources_fts.rowid WHERE ${where.join(' AND ')}`, params))?.n ?? 0;
  }

  if (kinds.has('memo') && f.speaker === undefined && f.tagId === undefined && f.used === undefined) {
    const where = ['memos_fts MATCH ?'];
    const params: (string | number)[] = [match];
    if (f.sourceId) {
      where.push('m.id IN (SELECT memo_id FROM memo_quote_links WHERE source_id = ?)');
      params.push(f.sourceId);
    }
    if (f.projectId) {
      where.push('m.id IN (SELECT memo_id FROM project_memos WHERE project_id = ?)');
      params.push(f.projectId);
    }
    dateBoundsSql('m.created_at', f, where, params);
    const rows = await db.all<{ id: string; title: string; updated_at: string; score: number; snip: string }>(
      `SELECT m.id, m.title, m.updated_at, bm25(memos_fts, ${weights(SEARCH_WEIGHTS.memos)}) AS score, ${snippet('memos_fts', 24)} AS snip
       FROM memos_fts JOIN memos m ON m.rowid = memos_fts.rowid
       WHERE ${where.join(' AND ')} ORDER BY score, m.updated_at DESC, m.rowid DESC LIMIT ${limit}`,
      params,
    );
    out.memos = rows.map((r) => ({ id: r.id, title: r.title, snippet: parseSnippet(r.snip), rank: r.score, updatedAt: r.updated_at }));
    out.total.memos = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM memos_fts JOIN memos m ON m.rowid = memos_fts.rowid WHERE ${where.join(' AND ')}`, params))?.n ?? 0;
  }
  return out;
}
