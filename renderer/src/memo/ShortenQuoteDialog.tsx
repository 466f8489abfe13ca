/**
 * The shortening editor of a linked quote ("Shorten…"): a text box prefilled with the
 * quote as the memo shows it, checked with `checkShortening` as the writer types. Only
 * removing whole words is allowed, with "…" where words were cut; anything else is
 * refused with the reason, and nothing is saved. "Restore full quote" drops the shortening.
 */
import { useDeferredValue, useState, type FormEvent, type KeyboardEvent } from 'react';
import { checkShortening, cutsWords, shortenedText } from '../../../shared/ellipsis';
import { Modal } from '../components/Modal';

interface Props {
  /** The quote's full text, which the shortening is checked against. */
  full: string;
  /** What the box starts with: the current shortening, or the full text. */
  initial: string;
  /** True when the quote is shortened now (offers "Restore full quote"). */
  isShortened: boolean;
  /** Save the shortening (in its written form), or null for the full quote. */
  onSave(shortened: string | null): void;
  onCancel(): void;
}

export function ShortenQuoteDialog({ full, initial, isShortened, onSave, onCancel }: Props) {
  const [value, setValue] = useState(initial);
  const [refusal, setRefusal] = useState<string | null>(null);
  // Checked as the writer types; a long quote's check may lag a keystroke behind, never block typing.
  const deferred = useDeferredValue(value);
  const live = checkShortening(full, deferred);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const check = checkShortening(full, value);
    if (!check.ok) return setRefusal(check.reason);
    onSave(cutsWords(check.segments) ? shortenedText(check.segments) : null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
  };

  return (
    <Modal title="Shorten quote" onClose={onCancel}>
      <form className="form shorten-form" onSubmit={submit}>
        <p className="shorten-help">
          Remove words and put an ellipsis (…) where you cut them, at the start and end too. Type <kbd>...</kbd> for “…”. Punctuation next to an ellipsis may go; nothing else can be changed or added.
        </p>
        <div className="field">
          <span>Full quote</span>
          <blockquote className="shorten-full" dir="auto" data-testid="shorten-full">
            {full}
          </blockquote>
        </div>
        <label className="field">
          <span>Shortened quote</span>
          <textarea
            className="input shorten-input"
            aria-label="Shortened quote"
            dir="auto"
            rows={6}
            autoFocus
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setRefusal(null);
            }}
            onKeyDown={onKeyDown}
          />
        </label>
        {refusal ? (
          <p className="form-error" role="alert">
            Not saved: {refusal}
          </p>
        ) : (
          <p className={`shorten-check ${live.ok ? 'ok' : 'refused'}`} aria-live="polite" data-testid="shorten-check">
            {live.ok ? (cutsWords(live.segments) ? `✓ Only whole words removed, each cut marked. It will read: ${shortenedText(live.segments)}` : 'This is the full quote: nothing is cut.') : live.reason}
          </p>
        )}
        <div className="form-actions">
          {isShortened && (
            <button type="button" className="button shorten-restore" onClick={() => onSave(null)}>
              Restore full quote
            </button>
          )}
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button primary">
            Save shortened quote
          </button>
        </div>
      </form>
    </Modal>
  );
}
