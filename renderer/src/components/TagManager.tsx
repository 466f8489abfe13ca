/**
 * The tag manager: every tag with how many quotes and sources carry it; rename one
 * (onto another tag's name it asks, then merges), merge one into another, delete one
 * (asks first, saying how many items lose it). Changes go through `tags.rename`,
 * `tags.merge` and `tags.delete`; a refusal shows its reason in the dialog.
 */
import { useState } from 'react';
import { ApiError, type Tag } from '../../../shared/contract';
import { api } from '../api';
import { Modal } from './Modal';

export function TagManager({ tags, onChanged, onClose }: { tags: readonly Tag[]; onChanged(): void; onClose(): void }) {
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal title="Tags" onClose={onClose}>
      {tags.length === 0 ? <p className="empty">No tags yet. Add one with “+ tag” on a quote or source.</p> : null}
      <ul className="tag-manager-list">
        {tags.map((tag) => (
          <TagManagerRow key={tag.id} tag={tag} others={tags.filter((t) => t.id !== tag.id)} run={run} />
        ))}
      </ul>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Modal>
  );
}

function TagManagerRow({ tag, others, run }: { tag: Tag; others: readonly Tag[]; run(work: () => Promise<unknown>): Promise<void> }) {
  const [name, setName] = useState(tag.name);
  const rename = () =>
    run(async () => {
      try {
        await api['tags.rename']({ id: tag.id, name });
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'conflict')) throw e;
        if (!window.confirm(`A tag named “${name.trim()}” exists. Merge “${tag.name}” into it?`)) return;
        await api['tags.rename']({ id: tag.id, name, merge: true });
      }
    });
  const uses = `${tag.quoteCount} ${tag.quoteCount === 1 ? 'quote' : 'quotes'}, ${tag.sourceCount} ${tag.sourceCount === 1 ? 'source' : 'sources'}`;
  return (
    <li className="tag-manager-row" data-testid="tag-manager-row">
      <input
        aria-label={`Name of tag ${tag.name}`}
        value={name}
        maxLength={100}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && name.trim() && name !== tag.name) void rename();
        }}
      />
      <button type="button" className="button small" disabled={!name.trim() || name === tag.name} onClick={() => void rename()}>
        Rename
      </button>
      <span className="tag-manager-uses">{uses}</span>
      {others.length > 0 && (
        <select
          aria-label={`Merge tag ${tag.name} into`}
          value=""
          onChange={(e) => {
            const into = others.find((t) => t.id === e.target.value);
            if (!into || !window.confirm(`Merge “${tag.name}” into “${into.name}”? Everything tagged “${tag.name}” gets “${into.name}”, and “${tag.name}” goes.`)) return;
            void run(() => api['tags.merge']({ fromIds: [tag.id], intoId: into.id }));
          }}
        >
          <option value="">Merge into…</option>
          {others.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      )}
      <button
        type="button"
        className="button small danger"
        aria-label={`Delete tag ${tag.name}`}
        onClick={() => {
          if (window.confirm(`Delete the tag “${tag.name}”? ${uses} lose it; nothing else changes.`)) void run(() => api['tags.delete']({ id: tag.id }));
        }}
      >
        Delete
      </button>
    </li>
  );
}
