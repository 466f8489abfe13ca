/**
 * The layer rules of DESIGN.md, checked over every source file: imports go down only.
 * shared/ is pure (no Node modules, no 'electron'); electron/services and electron/web never
 * import 'electron'; the renderer never reaches into electron/; the preload imports only
 * 'electron' and shared/methods (it is bundled for a sandbox).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

function imports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2]!);
}

const rel = (file: string) => path.relative(ROOT, file);

describe('layering', () => {
  it('shared/ imports no Node module, no electron, nothing outside shared/', () => {
    for (const file of files(path.join(ROOT, 'shared'))) {
      for (const spec of imports(file)) {
        expect(spec.startsWith('node:') || spec === 'electron' || spec.startsWith('..'), `${rel(file)} imports ${spec}`).toBe(false);
      }
    }
  });

  it("electron/services and electron/web never import 'electron'", () => {
    for (const dir of ['electron/services', 'electron/web']) {
      for (const file of files(path.join(ROOT, dir))) {
        expect(imports(file), rel(file)).not.toContain('electron');
      }
    }
  });

  it('the renderer imports only shared/ and its own files, never electron/', () => {
    for (const file of files(path.join(ROOT, 'renderer'))) {
      for (const spec of imports(file)) {
        const target = spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : spec;
        expect(target === 'electron' || target.startsWith(path.join(ROOT, 'electron')), `${rel(file)} imports ${spec}`).toBe(false);
      }
    }
  });

  it('the preload imports only electron and shared/methods', () => {
    expect(imports(path.join(ROOT, 'electron/preload/index.ts')).sort()).toEqual(['../../shared/methods', 'electron']);
  });
});
