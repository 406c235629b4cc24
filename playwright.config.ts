/**
 * End-to-end tests in Debian's Chromium. The global setup generates the demo scenario, runs the
 * real CLI over it (scan, plan) and starts `reconcile serve` on it; flow specs use that server as
 * baseURL. Specs that need other settings (sign-in, Cloudflare Access) start their own servers.
 * The web build comes from RECONCILE_WEB_BUILD_DIR (CI: .next).
 */
import { defineConfig } from '@playwright/test';

export const e2ePort = Number(process.env.RECONCILE_E2E_PORT ?? 3101);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${e2ePort}`,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
