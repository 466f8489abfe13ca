/**
 * Notifications: errors stay until dismissed (role="alert"), information fades after 5 s
 * (role="status"). `useNotify()` gives `notify.error(message)` / `notify.info(message)`.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../../../shared/contract';

interface Note {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

interface Notify {
  error(message: string): void;
  info(message: string): void;
  /** Show the message of a thrown error (an ApiError's message is written for the user). */
  failure(context: string, error: unknown): void;
  /** Run `work`; if it throws, show `context: message` and resolve to undefined. */
  attempt<T>(context: string, work: () => Promise<T>): Promise<T | undefined>;
}

const NotifyContext = createContext<Notify | null>(null);

/** The notifier of the nearest {@link NotificationsProvider}. */
export function useNotify(): Notify {
  const notify = useContext(NotifyContext);
  if (!notify) throw new Error('useNotify must be used inside NotificationsProvider');
  return notify;
}

/** Holds and shows notifications, bottom left. */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [notes, setNotes] = useState<Note[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setNotes((all) => all.filter((n) => n.id !== id)), []);
  const push = useCallback(
    (kind: Note['kind'], message: string) => {
      const id = nextId.current++;
      // The same message again replaces the old one rather than stacking up.
      setNotes((all) => [...all.filter((n) => n.message !== message).slice(-3), { id, kind, message }]);
      if (kind === 'info') window.setTimeout(() => dismiss(id), 5000);
    },
    [dismiss],
  );
  const notify = useMemo<Notify>(() => {
    const failure = (context: string, error: unknown) => {
      if (!(error instanceof ApiError)) console.error(context, error);
      push('error', `${context}: ${error instanceof Error ? error.message : String(error)}`);
    };
    return {
      error: (message) => push('error', message),
      info: (message) => push('info', message),
      failure,
      attempt: async (context, work) => {
        try {
          return await work();
        } catch (error) {
          failure(context, error);
          return undefined;
        }
      },
    };
  }, [push]);
  return (
    <NotifyContext.Provider value={notify}>
      {children}
      <div className="notifications" aria-live="polite">
        {notes.map((n) => (
          <div key={n.id} className={`note note-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
            <span className="note-message">{n.message}</span>
            <button type="button" className="note-close" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </NotifyContext.Provider>
  );
}
