/** The pure parts of `npm run check:electron`: allow-list matching and the literal scan. */
import { describe, expect, it } from 'vitest';
import { insecureLiterals, isAllowed } from './checkElectron';

describe('check:electron', () => {
  const allow = [{ check: 'SANDBOX_JS_CHECK', file: 'main/index.ts', sample: 'mainWindow = new BrowserWindow({', reason: 'r' }];
  it('allows a finding only with the same check, file and line text', () => {
    const finding = { id: 'SANDBOX_JS_CHECK', file: 'main/index.ts', sample: '  mainWindow = new BrowserWindow({', location: { line: 80, column: 2 } };
    expect(isAllowed(finding, allow)).toBe(true);
    expect(isAllowed({ ...finding, location: { line: 3, column: 0 } }, allow)).toBe(true);
    expect(isAllowed({ ...finding, id: 'NODE_INTEGRATION_JS_CHECK' }, allow)).toBe(false);
    expect(isAllowed({ ...finding, file: 'main/other.ts' }, allow)).toBe(false);
    expect(isAllowed({ ...finding, sample: 'const w = new BrowserWindow({' }, allow)).toBe(false);
  });
  it('flags insecure webPreferences literals and nothing secure', () => {
    const source = ['nodeIntegration: false,', 'nodeIntegration: true,', 'x = { nodeIntegrationInWorker:true }', 'contextIsolation: false', 'sandbox: !1,', 'webSecurity: true', 'webviewTag: true', 'sandbox: true'].join('\n');
    expect(insecureLiterals(source)).toEqual(['2: nodeIntegration: true,', '3: x = { nodeIntegrationInWorker:true }', '4: contextIsolation: false', '5: sandbox: !1,', '7: webviewTag: true']);
  });
});
