/**
 * A modal dialog: a titled card over a dimmed backdrop. Focus moves into it when it opens
 * (to a child marked autoFocus, else the card itself), so keys never reach the page behind
 * it (WAI-ARIA Authoring Practices, dialog pattern); Escape or the backdrop closes it; Tab
 * and Shift+Tab stay inside it; focus returns to where it was when it closes.
 */
import { useEffect, useRef, type ReactNode } from 'react';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

export function Modal({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
  const card = useRef<HTMLDivElement>(null);
  // The latest onClose, so the effect below runs once per opening (a new onClose each render must not re-run it and move focus).
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    // autoFocus children have focused themselves by now (React focuses them before effects run).
    const returnTo = (document.activeElement && !card.current?.contains(document.activeElement) ? document.activeElement : null) as HTMLElement | null;
    if (card.current && !card.current.contains(document.activeElement)) card.current.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
      if (e.key !== 'Tab' || !card.current) return;
      const items = Array.from(card.current.querySelectorAll<HTMLElement>(FOCUSABLE));
      if (items.length === 0) return;
      const first = items[0]!;
      const last = items[items.length - 1]!;
      if (e.shiftKey && (document.activeElement === first || !card.current.contains(document.activeElement))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (document.activeElement === last || !card.current.contains(document.activeElement))) {
        e.preventDefault();
        first.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      returnTo?.focus?.();
    };
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={card} className="modal" role="dialog" aria-modal="true" aria-label={title} tabIndex={-1}>
        <header className="modal-header">
          <h2>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

/** The end of a dialog's form: its error (if any), Cancel, and the submit button (showing `busyLabel` while busy). */
export function FormActions({ error, onCancel, submitLabel, busy = false, busyLabel }: { error?: string | null; onCancel(): void; submitLabel: string; busy?: boolean; busyLabel?: string }) {
  return (
    <>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={busy}>
          {busy && busyLabel ? busyLabel : submitLabel}
        </button>
      </div>
    </>
  );
}
