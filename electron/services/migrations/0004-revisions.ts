/**
 * Migration 4: memo revision history.
 *
 * `memo_revisions` holds snapshots of a memo's title and Lexical content (JSON):
 * - `reason` 'edit': the state a save left (saves close together update one row in place,
 *   see `LibraryStore.saveMemo`); 'before-restore': the memo as it was just before a
 *   revision was restored; 'conflict': an edit refused because another window saved first.
 * - `created_at`: when the row was first written (the start of a coalescing window);
 *   `saved_at`: when the state it holds was saved (equal for rows never updated). ISO 8601 UTC.
 * - `memo_revision`: the memo's `revision` counter that this state had (a 'conflict' row
 *   holds the counter its edit was based on).
 * - `size`: UTF-8 bytes of `title` plus `content`, for the history list and retention.
 *
 * Rows go with their memo (ON DELETE CASCADE; foreign keys are on, see db.ts).
 * Existing memos get one 'edit' revision holding their current state, so History starts
 * with what the user has now.
 */
import type { Migration } from './index';

export const migration0004: Migration = {
  version: 4,
  name: 'revisions',
  sql: `
    CREATE TABLE memo_revisions (
      id TEXT PRIMARY KEY,
      memo_id TEXT NOT NULL REFERENCES memos(id) ON DELETE CASCADE,
      reason TEXT NOT NULL CHECK (reason IN ('edit', 'before-restore', 'conflict')),
      title TEXT NOT NULL,
      content TEXT NOT NULL CHECK (json_valid(content)),
      memo_revision INTEGER NOT NULL CHECK (memo_revision >= 0),
      size INTEGER NOT NULL CHECK (size >= 0),
      created_at TEXT NOT NULL,
      saved_at TEXT NOT NULL
    );
    CREATE INDEX memo_revisions_by_memo ON memo_revisions(memo_id, saved_at);
    INSERT INTO memo_revisions (id, memo_id, reason, title, content, memo_revision, size, created_at, saved_at)
      SELECT lower(hex(randomblob(16))), id, 'edit', title, content, revision,
             length(CAST(title AS BLOB)) + length(CAST(content AS BLOB)), updated_at, updated_at
      FROM memos WHERE revision > 0;
  `,
};
