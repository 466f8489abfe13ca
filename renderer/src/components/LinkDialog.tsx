/**
 * Asks for a link address (Electron has no window.prompt). Only http, https and mailto
 * are accepted; an address without a scheme gets https://.
 */
import { useState, type FormEvent } from 'react';
import { safeLinkUrl } from '../../../shared/printHtml';
import { FormActions, Modal } from './Modal';

/** The normalized URL for what was typed, or an error message for the user. */
export function parseLinkInput(input: string): { url: string } | { error: string } {
  const trimmed = input.trim();
  if (!trimmed) return { error: 'Type an address.' };
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  const url = safeLinkUrl(withScheme);
  return url ? { url } : { error: `“${trimmed}” is not a link Verbatim allows: use an http, https or mailto address.` };
}

export function LinkDialog({ onLink, onCancel }: { onLink(url: string): void; onCancel(): void }) {
  const [value, setValue] = useState('https://');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseLinkInput(value);
    if ('error' in parsed) setError(parsed.error);
    else onLink(parsed.url);
  };
  return (
    <Modal title="Link" onClose={onCancel}>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Address (https://…, mailto:…)</span>
          <input className="input" value={value} onChange={(e) => setValue(e.target.value)} autoFocus onFocus={(e) => e.target.select()} />
        </label>
        <FormActions error={error} onCancel={onCancel} submitLabel="Link" />
      </form>
    </Modal>
  );
}
