/**
 * `npm run check:electron`: the static Electron security check, run before the unit tests.
 *
 * 1. Electronegativity (Doyensec's static checker, https://github.com/doyensec/electronegativity)
 *    over `electron/`, for the Electron version in node_modules. Every finding must be in
 *    the reviewed allow-list `electronegativity-allowlist.json` beside this file, matched
 *    by check id, file and a piece of the flagged line (not by line number, so edits
 *    elsewhere do not invalidate it), each with the reason it is accepted. Any other
 *    finding, or a file it could not parse, fails the check.
 *    Electronegativity reads webPreferences only where they are an object literal inside
 *    `new BrowserWindow(...)`; ours come from `secureWebPreferences()` and constants in
 *    security.ts, so it reports CONTEXT_ISOLATION / SANDBOX on each window as needing
 *    review (false positives, listed) and cannot see a value set in security.ts.
 * 2. So a literal scan complements it: any `nodeIntegration*: true`, `webviewTag: true`,
 *    `allowRunningInsecureContent: true`, `experimentalFeatures: true`, or
 *    `contextIsolation|sandbox|webSecurity: false` anywhere in electron/ (tests and this
 *    file excepted) fails. The values themselves are asserted in security.test.ts.
 * The AVAILABLE_SECURITY_FIXES global check is skipped: it asks the internet for Electron
 * releases, which would make this check depend on the network and the date.
 *
 * Exit status 0 when clean, 1 with a list of what to fix (or to review and allow-list).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** One reviewed, accepted finding. `sample` is a substring of the flagged line ("" for global checks). */
export interface AllowedFinding {
  check: string;
  file: string;
  sample: string;
  reason: string;
}

/** A finding as Electronegativity reports it (the fields used here). */
export interface Finding {
  id: string;
  file: string;
  sample: string;
  location: { line: number; column: number };
  manualReview?: boolean;
}

/** True when `allow` covers `finding`: same check, same file (relative, `/`-separated), and the line contains the sample. */
export function isAllowed(finding: Finding, allow: readonly AllowedFinding[]): boolean {
  const file = finding.file.split(path.sep).join('/');
  return allow.some((a) => a.check === finding.id && a.file === file && (finding.sample ?? '').includes(a.sample));
}

const INSECURE_LITERAL =
  /\b(?:(?:nodeIntegration|nodeIntegrationInWorker|nodeIntegrationInSubFrames|webviewTag|allowRunningInsecureContent|experimentalFeatures)\s*:\s*(?:true|!0)|(?:contextIsolation|sandbox|webSecurity)\s*:\s*(?:false|!1))\b/g;

/** Lines of `source` that set an insecure webPreferences value literally, as `line: text`. */
export function insecureLiterals(source: string): string[] {
  const out: string[] = [];
  source.split('\n').forEach((text, i) => {
    if (INSECURE_LITERAL.test(text)) out.push(`${i + 1}: ${text.trim()}`);
    INSECURE_LITERAL.lastIndex = 0;
  });
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '../..');
  const input = path.join(root, 'electron');
  const require = createRequire(__filename);
  const run = require('@doyensec/electronegativity') as (options: Record<string, unknown>) => Promise<{ errors: { file: string; message: string; tolerable: boolean }[]; issues: Finding[] }>;
  const electronVersion = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
  const allowFile = path.join(__dirname, 'electronegativity-allowlist.json');
  const allow = (JSON.parse(readFileSync(allowFile, 'utf8')) as { findings: AllowedFinding[] }).findings;
  for (const a of allow) if (!a.reason?.trim()) throw new Error(`${allowFile}: the entry for ${a.check} in ${a.file} gives no reason.`);

  const result = await run({ input, isRelative: true, electronVersionOverride: electronVersion, excludeFromScan: ['AvailableSecurityFixesGlobalCheck'], output: null });
  const problems: string[] = [];
  for (const error of result.errors) if (!error.tolerable) problems.push(`could not parse ${error.file}: ${error.message}`);
  const unlisted = result.issues.filter((issue) => !isAllowed(issue, allow));
  for (const issue of unlisted) problems.push(`${issue.id} in electron/${issue.file.split(path.sep).join('/')}:${issue.location.line}:${issue.location.column}: ${(issue.sample ?? '').trim()}`);
  const unused = allow.filter((a) => !result.issues.some((issue) => isAllowed(issue, [a])));
  for (const a of unused) console.warn(`check:electron: allow-list entry no longer needed (remove it): ${a.check} in ${a.file} (“${a.sample}”)`);

  for (const file of sourceFiles(input)) {
    if (/\.test\.tsx?$/.test(file) || file === __filename) continue;
    for (const line of insecureLiterals(readFileSync(file, 'utf8'))) problems.push(`insecure webPreferences value in ${path.relative(root, file)}:${line}`);
  }

  console.log(`check:electron: Electronegativity (Electron ${electronVersion}) found ${result.issues.length} finding(s) in electron/, ${result.issues.length - unlisted.length} reviewed in ${path.relative(root, allowFile)}.`);
  if (problems.length === 0) {
    console.log('check:electron: ok');
    return 0;
  }
  console.error(`check:electron: FAILED, ${problems.length} problem(s). Fix them, or review each finding and add it with its reason to ${path.relative(root, allowFile)}:`);
  for (const p of problems) console.error(`  - ${p}`);
  return 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error('check:electron: could not run', error);
      process.exit(1);
    },
  );
}
