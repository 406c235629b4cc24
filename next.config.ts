import type { NextConfig } from 'next';
import { loadEnv } from './engine/config/index.ts';

const env = loadEnv();

const nextConfig: NextConfig = {
  distDir: env.RECONCILE_WEB_BUILD_DIR,
  // Native addons and the logger stay outside the server bundle.
  serverExternalPackages: ['better-sqlite3', 'xxhash-addon', 'pino', '@napi-rs/xattr'],
  // Type-checking is its own step of the test command (`npm run typecheck`, the whole project);
  // a slip in a test file must not stop the web build.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
