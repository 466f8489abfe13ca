/**
 * The CLI as a user runs it, in real processes: one writer per library (a second command
 * on a served library refuses, naming the holder; after the server is killed with
 * SIGKILL the next command takes the stale lock over), and a damaged library (exit 3
 * with the ways out, the file untouched, then `restore --latest`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = path.join(ROOT, 'electron', 'web', 'cli.ts');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, VERBATIM_DATA_DIR: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('verbatim CLI', () => {
  it('refuses a second writer while a web host serves the library, and takes over after the host is SIGKILLed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-cli-'));
    dirs.push(dir);
    // Run the CLI under node directly (no tsx wrapper process), so the pid in the lock is the one we kill.
    const server = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', '--data-dir', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (c: Buffer) => {
        output += c.toString();
        if (output.includes('Open: ')) resolve();
      });
      server.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${output}`)));
    });
    const lock = JSON.parse(readFileSync(path.join(dir, 'library.lock'), 'utf8')) as { pid: number; host: string; startedAt: string };
    expect(lock).toMatchObject({ pid: server.pid, host: 'web' });

    const refused = cli(['memos', '--data-dir', dir]);
    expect(refused.status).toBe(4);
    expect(refused.stderr).toContain(`already open in a Verbatim web host (process ${server.pid}, since ${lock.startedAt})`);

    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
    const after = cli(['memos', '--data-dir', dir]);
    expect(after.stderr).toBe('');
    expect(after.status).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual([]);
    expect(readdirSync(dir)).not.toContain('library.lock'); // released when the command ended
  }, 120_000);

  it('on a damaged library says what to do (exit 3, file untouched), then restore --latest brings the backup back', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-cli-'));
    dirs.push(dir);
    expect(cli(['call', 'memos.create', '{"title":"Backed up"}', '--data-dir', dir]).status).toBe(0);
    const backup = cli(['backup', '--data-dir', dir]);
    expect(backup.status).toBe(0);
    expect(backup.stdout).toMatch(/^backed up to .*library-.*\.sqlite/);
    const file = path.join(dir, 'library.sqlite');
    writeFileSync(file, 'a shopping list, not a library');
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex');

    const refused = cli(['memos', '--data-dir', dir]);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('not an SQLite database at all');
    expect(refused.stderr).toContain('npm run cli -- restore --latest');
    expect(refused.stderr).toContain('npm run cli -- new-library');
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(hash);

    const restored = cli(['restore', '--latest', '--data-dir', dir]);
    expect(restored.status).toBe(0);
    expect(restored.stdout).toContain('Restored the backup library-');
    const damaged = readdirSync(dir).find((n) => n.startsWith('library.damaged-'))!;
    expect(createHash('sha256').update(readFileSync(path.join(dir, damaged))).digest('hex')).toBe(hash);
    const memos = cli(['memos', '--data-dir', dir]);
    expect((JSON.parse(memos.stdout) as { title: string }[]).map((m) => m.title)).toEqual(['Backed up']);
  }, 120_000);
});
