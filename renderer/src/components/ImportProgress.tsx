/**
 * Progress of a batch import (files dropped or picked together): a bar, and one line per
 * file with what became of it (the source's title, or why it was not imported).
 */
export interface ImportItem {
  name: string;
  status: 'waiting' | 'importing' | 'done' | 'failed';
  /** The new source's title when done; the reason when failed. */
  detail: string;
}

export function ImportProgress({ items, onClose }: { items: readonly ImportItem[]; onClose(): void }) {
  const finished = items.filter((i) => i.status === 'done' || i.status === 'failed').length;
  const failed = items.filter((i) => i.status === 'failed').length;
  const running = finished < items.length;
  const icon: Record<ImportItem['status'], string> = { waiting: '·', importing: '…', done: '✓', failed: '✗' };
  return (
    <section className="import-progress" role="status" aria-live="polite" aria-label="Import" data-testid="import-progress">
      <header>
        <span>{running ? `Importing ${finished + 1} of ${items.length}` : `Imported ${items.length - failed} of ${items.length}${failed ? ` · ${failed} not imported` : ''}`}</span>
        {!running && (
          <button type="button" className="icon-button" aria-label="Close import report" onClick={onClose}>
            ×
          </button>
        )}
      </header>
      <progress max={items.length} value={finished} aria-label="Files imported" />
      <ul>
        {items.map((item, i) => (
          <li key={`${i}-${item.name}`} className={item.status}>
            <span aria-hidden>{icon[item.status]}</span>
            <span className="file">{item.name}</span>
            {item.detail && <span className="result">{item.detail}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
