/**
 * Where the library lives. Both hosts and the CLI resolve the data folder the same way:
 * `--data-dir <path>` (or `--data-dir=<path>`) on the command line, else the
 * `VERBATIM_DATA_DIR` environment variable, else the host's default (Electron's
 * userData folder; {@link defaultDataDir} for the web host and CLI: ~/.config/verbatim on Linux).
 */
import os from 'node:os';
import path from 'node:path';

/** Name of the environment variable that overrides the data folder. */
export const DATA_DIR_ENV = 'VERBATIM_DATA_DIR';

/** The value of `--<name> <v>` or `--<name>=<v>` in argv, or undefined. */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === `--${name}`) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

/** The data folder, absolute: flag, then environment, then `fallback`. */
export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, fallback: string): string {
  const chosen = flagValue(argv, 'data-dir') ?? env[DATA_DIR_ENV] ?? fallback;
  return path.resolve(chosen);
}

/**
 * The web host's and CLI's default data folder, the same folder Electron's
 * `app.getPath('userData')` gives for an app named "verbatim", so both hosts open one
 * library: $XDG_CONFIG_HOME/verbatim (~/.config/verbatim) on Linux,
 * ~/Library/Application Support/verbatim on macOS, %APPDATA%\\verbatim on Windows.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'verbatim');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'verbatim');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'verbatim');
}

/** Name of the environment variable that sets how many backups are kept. */
export const KEEP_BACKUPS_ENV = 'VERBATIM_KEEP_BACKUPS';

/**
 * How many `library-*` backups to keep: `--keep-backups N` (or `--keep-backups=N`), else
 * VERBATIM_KEEP_BACKUPS, else `fallback` (10, see backup.ts).
 * @throws Error when the value is not a whole number from 1 to 1000.
 */
export function resolveKeepBackups(argv: readonly string[], env: NodeJS.ProcessEnv, fallback: number): number {
  const flag = flagValue(argv, 'keep-backups');
  const raw = flag ?? env[KEEP_BACKUPS_ENV];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < 1 || n > 1000) {
    throw new Error(`${flag !== undefined ? '--keep-backups' : KEEP_BACKUPS_ENV} must be a whole number from 1 to 1000, not “${raw}”.`);
  }
  return n;
}
