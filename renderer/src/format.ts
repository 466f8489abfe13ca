/**
 * Numbers and times for people, the same in every dialog (History, Backups, export notices).
 */

/** A byte count: "512 bytes", "2.4 KB", "1.2 MB" (SI units: 1 KB = 1,000 bytes, as file managers on macOS and GNOME show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** An ISO 8601 time in the user's locale and time zone ("11/29/2026, 7:42:13 PM"). */
export function formatLocalTime(iso: string): string {
  return new Date(iso).toLocaleString();
}
