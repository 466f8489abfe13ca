/**
 * Backups: back up the library now, see the backups (newest first), and restore one.
 * Restoring asks first and says that the current library is kept aside (in the backups
 * folder as before-restore-<time>.sqlite); after a restore the page reloads, so every
 * view shows the restored library. Keyboard: Tab through the list, Enter on a button.
 * The rules (verification, pruning, where files go) live in electron/services/backup.ts.
 */
import { useCallback, useEffect, useState } from 'react';
import type { BackupInfo } from '../../../shared/contract';
import { api } from '../api';
import { formatBytes, formatLocalTime } from '../format';
import { Modal } from './Modal';

export function BackupsDialog({ onClose, onRestored = () => window.location.reload() }: { onClose(): void; onRestored?(): void }) {
  const [backups, setBackups] = useState<BackupInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);

  const load = useCallback(() => api['library.backups']({}).then(setBackups, (e: unknown) => setError((e as Error).message)), []);
  useEffect(() => {
    void load();
  }, [load]);

  const backUpNow = async () => {
    setBusy(true);
    setError(null);
    setStatus('Backing up…');
    try {
      const made = await api['library.backup']({});
      setStatus(`Backed up: ${made.name} (${formatBytes(made.bytes)}).`);
      await load();
    } catch (e) {
      setStatus(null);
      setError(`The backup failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const restore = async (backup: BackupInfo) => {
    setBusy(true);
    setError(null);
    setStatus(`Restoring ${backup.name}…`);
    try {
      const done = await api['library.restore']({ name: backup.name });
      setStatus(`Restored. The library as it was is kept as ${done.keptAs}. Reloading…`);
      onRestored();
    } catch (e) {
      setStatus(null);
      setError(`The restore failed, and your library was not changed: ${(e as Error).message}`);
      setBusy(false);
    }
  };

  return (
    <Modal title="Backups" onClose={onClose}>
      <div className="form backups" data-testid="backups">
        <p>
          Verbatim backs up the library once a day when it starts and keeps the newest ten. They are files in the <code>backups</code> folder beside the library.
        </p>
        <div className="form-actions" style={{ justifyContent: 'flex-start' }}>
          <button type="button" className="button primary" onClick={() => void backUpNow()} disabled={busy} autoFocus>
            Back up now
          </button>
        </div>
        {status && (
          <p role="status" data-testid="backups-status">
            {status}
          </p>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {confirming ? (
          <div role="group" aria-label="Confirm restore" className="backups-confirm">
            <p>
              Replace the library with the backup from <strong>{formatLocalTime(confirming.createdAt)}</strong>? The current library is kept aside first (in the backups folder, as <code>before-restore-…</code>), never deleted.
            </p>
            <div className="form-actions">
              <button type="button" className="button" onClick={() => setConfirming(null)} disabled={busy}>
                Cancel
              </button>
              <button type="button" className="button primary" onClick={() => void restore(confirming)} disabled={busy} autoFocus>
                Restore this backup
              </button>
            </div>
          </div>
        ) : backups === null ? (
          !error && <p>Loading…</p>
        ) : backups.length === 0 ? (
          <p>There are no backups yet.</p>
        ) : (
          <ul className="backups-list" aria-label="Backups, newest first">
            {backups.map((b) => (
              <li key={b.name} data-testid="backup-item">
                <span className="backup-what">
                  <span>
                    {formatLocalTime(b.createdAt)} · {formatBytes(b.bytes)}
                    {b.kind === 'before-restore' && ' · the library as it was before a restore'}
                  </span>
                  <code className="backup-name">{b.name}</code>
                </span>
                <button type="button" className="button" onClick={() => setConfirming(b)} disabled={busy} aria-label={`Restore the backup from ${formatLocalTime(b.createdAt)}`}>
                  Restore…
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </Modal>
  );
}
