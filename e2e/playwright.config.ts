/**
 * Playwright configuration for Verbatim's end-to-end specs (`*.e2e.ts`). The host fixture
 * (fixtures.ts) starts Electron when its binary is installed and the web host in
 * Chromium otherwise. Screenshots and PDF pages are written to e2e-artifacts/.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  outputDir: '../test-results',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  workers: 1,
  fullyParallel: false,
  // One retry on CI, where the machine is shared; a test that needs it is reported as flaky, not hidden.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: { viewport: { width: 1440, height: 900 }, actionTimeout: 15_000 },
});
