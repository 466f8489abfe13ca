/**
 * Panels beside the reader's text: quotes that need review after the source's text
 * changed (accept the new wording, re-attach an orphan to a selection), and the
 * quotations Verbatim found in the text (one click saves one, with its speaker).
 */
import { useMemo, useState } from 'react';
import type { QuoteSuggestion } from '../../../shared/contract';
import type { Quote } from '../../../shared/model';
import { readingText } from '../../../shared/normalize';
import { wordDiff } from '../../../shared/wordDiff';

/** Quotes of the open source whose anchoring needs the user (changed or orphaned). */
export function ReviewPanel({
  quotes,
  hasSelection,
  onAccept,
  onAttach,
  onShow,
  onDelete,
}: {
  quotes: readonly Quote[];
  hasSelection: boolean;
  onAccept(quote: Quote): void;
  onAttach(quote: Quote): void;
  onShow(quote: Quote): void;
  onDelete(quote: Quote): void;
}) {
  if (quotes.length === 0) return null;
  return (
    <section className="review-panel" aria-label="Quotes to review" data-testid="review-panel">
      <h2>
        {quotes.length} {quotes.length === 1 ? 'quote needs' : 'quotes need'} review
      </h2>
      <p className="hint">The source’s text changed since these were saved. Nothing was deleted.</p>
      <ul>
        {quotes.map((q) =>
          q.anchor.status === 'changed' && q.anchor.candidate ? (
            <li key={q.id} className="review-item changed" data-quote-id={q.id}>
              <span className="review-kind">Wording changed</span>
              <p className="review-text" dir="auto" aria-label={`Was: ${q.textQuote.exact}. Now: ${q.anchor.candidate.exact}`}>
                {wordDiff(readingText(q.textQuote.exact), readingText(q.anchor.candidate.exact)).map((piece, i) =>
                  piece.kind === 'same' ? <span key={i}>{piece.text}</span> : piece.kind === 'del' ? <del key={i} title="Old wording">{piece.text}</del> : <ins key={i} title="New wording">{piece.text}</ins>,
                )}
              </p>
              <div className="review-actions">
                <button type="button" className="button small primary" onClick={() => onAccept(q)}>
                  Accept new text
                </button>
                <button type="button" className="button small" onClick={() => onShow(q)}>
                  Show
                </button>
                <button type="button" className="button small" onClick={() => onDelete(q)}>
                  Delete quote
                </button>
              </div>
            </li>
          ) : (
            <li key={q.id} className="review-item orphaned" data-quote-id={q.id}>
              <span className="review-kind">Passage not found</span>
              <p className="review-text" dir="auto">
                {readingText(q.textQuote.exact)}
              </p>
              <div className="review-actions">
                <button type="button" className="button small" disabled={!hasSelection} onClick={() => onAttach(q)} title={hasSelection ? 'Anchor this quote to the passage selected in the text' : 'Select its passage in the text first'}>
                  Attach to selection
                </button>
                <button type="button" className="button small" onClick={() => onDelete(q)}>
                  Delete quote
                </button>
              </div>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}

const CONFIDENCE_LABEL: Record<QuoteSuggestion['confidence'], string> = { high: 'Quotation', medium: 'Probably a quotation', low: 'Scare quotes or a name' };

/** Quotations found in the text, best first within text order; low-confidence ones folded away until asked for. */
export function SuggestionsPanel({
  suggestions,
  error,
  preview,
  onSave,
  onShow,
  onClose,
}: {
  suggestions: readonly QuoteSuggestion[] | null;
  error: string | null;
  /** What saving the suggestion keeps, to show it (a quotation split by its attribution keeps the attribution). */
  preview(suggestion: QuoteSuggestion): string;
  onSave(suggestion: QuoteSuggestion): Promise<void>;
  onShow(suggestion: QuoteSuggestion): void;
  onClose(): void;
}) {
  const [showLow, setShowLow] = useState(false);
  const [saving, setSaving] = useState<number | null>(null);
  const low = useMemo(() => suggestions?.filter((s) => s.confidence === 'low').length ?? 0, [suggestions]);
  const visible = suggestions?.filter((s) => showLow || s.confidence !== 'low') ?? [];
  return (
    <aside className="suggestions-panel" aria-label="Suggested quotes" data-testid="suggestions-panel">
      <header>
        <h2>Suggested quotes</h2>
        <button type="button" className="icon-button" aria-label="Close suggestions" onClick={onClose}>
          ×
        </button>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!error && suggestions === null && <p className="hint">Looking for quotations…</p>}
      {suggestions !== null && suggestions.length === 0 && <p className="hint">No quotation marks in this text: select a passage to save it as a quote.</p>}
      <ul>
        {visible.map((s) => (
          <li key={s.start} className={`suggestion ${s.confidence}`} data-testid="suggestion">
            <button type="button" className="suggestion-text" onClick={() => onShow(s)} title="Show it in the text">
              <span dir="auto">{readingText(preview(s))}</span>
            </button>
            <div className="suggestion-meta">
              <span className="suggestion-speaker">{s.speaker ?? 'No speaker found'}</span>
              <span className="suggestion-kind" title={s.reason}>
                {CONFIDENCE_LABEL[s.confidence]}
                {s.parts.length > 1 ? ` · ${s.parts.length} parts joined` : ''}
              </span>
            </div>
            {s.savedQuoteId ? (
              <span className="suggestion-saved">Saved</span>
            ) : (
              <button
                type="button"
                className="button small primary"
                disabled={saving !== null}
                onClick={async () => {
                  setSaving(s.start);
                  try {
                    await onSave(s);
                  } finally {
                    setSaving(null);
                  }
                }}
              >
                {saving === s.start ? 'Saving…' : 'Save quote'}
              </button>
            )}
          </li>
        ))}
      </ul>
      {low > 0 && (
        <button type="button" className="button small" onClick={() => setShowLow((v) => !v)}>
          {showLow ? 'Hide' : 'Show'} {low} scare {low === 1 ? 'quote' : 'quotes'} and names
        </button>
      )}
    </aside>
  );
}
