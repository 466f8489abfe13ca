/**
 * Migration 5: organisation and search (issue 6).
 *
 * - `tags` (name unique by `name_key`: NFC, lower-cased; see `tagNameKey` in shared/model.ts),
 *   `quote_tags`, `source_tags`: tags on quotes and sources.
 * - `projects` (name unique by `name_key` the same way) and `project_sources`,
 *   `project_quotes`, `project_memos`: collections. Deleting a project deletes its link rows
 *   only; deleting a member deletes its link rows (ON DELETE CASCADE; foreign keys are on).
 * - `memo_quote_links`: the backlinks index, one row per cite of a memo in document order
 *   (`position`, 0-based, as `citesInOrder` in shared/memoDocument.ts counts): a linked quote
 *   (`quote_id` and its `source_id`) or a plain citation (`quote_id` NULL). Rewritten inside
 *   the transaction of every memo save and revision restore (memoIndex.ts); rows go with their
 *   memo. `quote_id` has no foreign key: a memo keeps its node for a deleted quote (shown as
 *   missing), and its row says so.
 * - `memos.plain_text`: a memo's text without markup (`memoPlainText` in memoIndex.ts), kept
 *   with every save, for the memo full-text index.
 * - `sources_fts` over (title, authors, container_title, text) read through the view
 *   `sources_search` (CSL JSON fields extracted by SQL), and `memos_fts` over (title,
 *   plain_text) of `memos`: FTS5 external-content indexes (no second copy of the text), with
 *   the same tokenizer as quotes_fts (unicode61, remove_diacritics 2), kept in step by triggers.
 * - Indexes for every list filter and sort (see store.ts listQuotes and the EXPLAIN QUERY
 *   PLAN test in organisation.test.ts): quotes by (empty speaker, speaker NOCASE, created_at),
 *   sources by created_at, link tables by their second column.
 * Existing memos get their plain text and backlink rows; both indexes are rebuilt from the rows.
 */
import { memoIndexRows } from '../memoIndex';
import type { Migration } from './index';

/**
 * The authors of a CSL JSON value `csl` as one string, "Family, Given; Literal" (SQL, for the
 * view sources_search): the JSON text of `author` with its keys and brackets taken out by
 * replace(). (Not json_each: FTS5 reads its content view as main.sources_search, and SQLite
 * then looks for a table main.json_each.) A name part holding a quotation mark keeps its
 * JSON backslash; the words are still found.
 */
function authorsSql(csl: string): string {
  let sql = `json_extract(${csl}, '$.author')`;
  for (const key of ['non-dropping-particle', 'dropping-particle', 'family', 'given', 'literal', 'suffix']) sql = `replace(${sql}, '"${key}":', '')`;
  sql = `replace(${sql}, '},{', '; ')`;
  for (const ch of ['"', '[', ']', '{', '}']) sql = `replace(${sql}, '${ch}', '')`;
  return `replace(${sql}, ',', ', ')`;
}

/** FTS5 'delete' of source `r` (old) from sources_fts, read through the view before the row changes, so the values are exactly those indexed. */
const sourceFtsDelete = (r: string) => `INSERT INTO sources_fts(sources_fts, rowid, title, authors, container_title, text) SELECT 'delete', rowid, title, authors, container_title, text FROM sources_search WHERE rowid = ${r}.rowid;`;
/** FTS5 insert of source `r` (new) into sources_fts, read through the view after the row is written. */
const sourceFtsInsert = (r: string) => `INSERT INTO sources_fts(rowid, title, authors, container_title, text) SELECT rowid, title, authors, container_title, text FROM sources_search WHERE rowid = ${r}.rowid;`;

export const migration0005: Migration = {
  version: 5,
  name: 'organisation-search',
  sql: `
    CREATE TABLE tags (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      name_key TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    );
    CREATE TABLE quote_tags (
      tag_id TEXT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
      quote_id TEXT NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
      PRIMARY KEY (tag_id, quote_id)
    ) WITHOUT ROWID;
    CREATE INDEX quote_tags_by_quote ON quote_tags(quote_id);
    CREATE TABLE source_tags (
      tag_id TEXT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
      source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      PRIMARY KEY (tag_id, source_id)
    ) WITHOUT ROWID;
    CREATE INDEX source_tags_by_source ON source_tags(source_id);

    CREATE TABLE projects (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      name_key TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE project_sources (
      project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      PRIMARY KEY (project_id, source_id)
    ) WITHOUT ROWID;
    CREATE INDEX project_sources_by_source ON project_sources(source_id);
    CREATE TABLE project_quotes (
      project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      quote_id TEXT NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
      PRIMARY KEY (project_id, quote_id)
    ) WITHOUT ROWID;
    CREATE INDEX project_quotes_by_quote ON project_quotes(quote_id);
    CREATE TABLE project_memos (
      project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      memo_id TEXT NOT NULL REFERENCES memos(id) ON DELETE CASCADE,
      PRIMARY KEY (project_id, memo_id)
    ) WITHOUT ROWID;
    CREATE INDEX project_memos_by_memo ON project_memos(memo_id);

    CREATE TABLE memo_quote_links (
      memo_id TEXT NOT NULL REFERENCES memos(id) ON DELETE CASCADE,
      position INTEGER NOT NULL CHECK (position >= 0),
      quote_id TEXT,
      source_id TEXT NOT NULL,
      PRIMARY KEY (memo_id, position)
    ) WITHOUT ROWID;
    CREATE INDEX memo_quote_links_by_quote ON memo_quote_links(quote_id) WHERE quote_id IS NOT NULL;
    CREATE INDEX memo_quote_links_by_source ON memo_quote_links(source_id);

    CREATE INDEX quotes_by_speaker ON quotes(speaker = '', speaker COLLATE NOCASE, created_at);
    CREATE INDEX sources_by_created ON sources(created_at);

    ALTER TABLE memos ADD COLUMN plain_text TEXT NOT NULL DEFAULT '';
  `,
  run: async (tx) => {
    // Plain text and backlinks of existing memos (before the memo index and its triggers exist; rebuilt below).
    for (const memo of await tx.all<{ id: string; content: string }>('SELECT id, content FROM memos')) {
      const index = memoIndexRows(memo.content);
      await tx.run('UPDATE memos SET plain_text = ? WHERE id = ?', [index.plainText, memo.id]);
      for (const link of index.links) await tx.run('INSERT INTO memo_quote_links (memo_id, position, quote_id, source_id) VALUES (?, ?, ?, ?)', [memo.id, link.position, link.quoteId, link.sourceId]);
    }
    await tx.exec(`
      CREATE VIEW sources_search AS
        SELECT s.rowid AS rowid, json_extract(s.csl, '$.title') AS title, ${authorsSql('s.csl')} AS authors, json_extract(s.csl, '$."container-title"') AS container_title, s.text AS text FROM sources s;
      CREATE VIRTUAL TABLE sources_fts USING fts5(
        title, authors, container_title, text,
        content = 'sources_search', content_rowid = 'rowid',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER sources_fts_insert AFTER INSERT ON sources BEGIN
        ${sourceFtsInsert('new')}
      END;
      CREATE TRIGGER sources_fts_delete BEFORE DELETE ON sources BEGIN
        ${sourceFtsDelete('old')}
      END;
      CREATE TRIGGER sources_fts_before_update BEFORE UPDATE OF csl, text ON sources BEGIN
        ${sourceFtsDelete('old')}
      END;
      CREATE TRIGGER sources_fts_after_update AFTER UPDATE OF csl, text ON sources BEGIN
        ${sourceFtsInsert('new')}
      END;

      CREATE VIRTUAL TABLE memos_fts USING fts5(
        title, plain_text,
        content = 'memos', content_rowid = 'rowid',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER memos_fts_insert AFTER INSERT ON memos BEGIN
        INSERT INTO memos_fts(rowid, title, plain_text) VALUES (new.rowid, new.title, new.plain_text);
      END;
      CREATE TRIGGER memos_fts_delete AFTER DELETE ON memos BEGIN
        INSERT INTO memos_fts(memos_fts, rowid, title, plain_text) VALUES ('delete', old.rowid, old.title, old.plain_text);
      END;
      CREATE TRIGGER memos_fts_update AFTER UPDATE OF title, plain_text ON memos BEGIN
        INSERT INTO memos_fts(memos_fts, rowid, title, plain_text) VALUES ('delete', old.rowid, old.title, old.plain_text);
        INSERT INTO memos_fts(rowid, title, plain_text) VALUES (new.rowid, new.title, new.plain_text);
      END;
    `);
    await tx.run("INSERT INTO sources_fts(sources_fts) VALUES ('rebuild')");
    await tx.run("INSERT INTO memos_fts(memos_fts) VALUES ('rebuild')");
  },
};
