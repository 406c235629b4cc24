// Lint rules and the architecture's boundaries, checked by `npm run lint` (part of `npm test`).
// Import cycles, type-only ones included, are checked by dpdm in the same script: import-x's
// no-cycle skips type imports.
import path from 'node:path';
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;
const at = (pattern) => path.join(root, pattern);

/** Code that runs in the product: it reads its environment through the config module only. */
const productCode = ['app/**', 'lib/**', 'engine/**', 'proxy.ts'];
const testCode = ['**/*.test.ts', 'test/**', 'e2e/**', 'bench/**', 'scripts/**'];

export default tseslint.config(
  {
    ignores: ['lib/generated/**', '.next*/**', 'dist/**', 'data/**', 'test-results/**', 'playwright-report/**', 'bench/out/**', 'coverage/**', 'next-env.d.ts'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs', 'bin/*.js'] }, tsconfigRootDir: root },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: at('tsconfig.json') })] },
    plugins: { 'import-x': importX },
    rules: {
      // Type-aware rules that pay for themselves: a promise nobody awaits loses its error.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: root,
          zones: [
            {
              target: 'engine',
              from: ['app', 'lib', 'proxy.ts'],
              message: 'engine/ is the deterministic core: it imports nothing from the web app (app/, lib/).',
            },
            {
              target: ['app', 'lib', 'proxy.ts'],
              from: [at('engine/**')],
              except: [at('engine/*/index.ts'), at('engine/*/browser.ts'), at('engine/*.ts')],
              message:
                "The web app calls a stage through its public surface: engine/<stage>/index.ts (or browser.ts, its browser-safe part) or a single-file module at engine/'s root.",
            },
          ],
        },
      ],
    },
  },
  {
    files: productCode,
    ignores: ['engine/config/env.ts', ...testCode],
    rules: {
      // One logger: the engine's (ctx.logger in the CLI, webLogger() in the web app) redacts secrets.
      // The CLI's own output goes through process.stdout/stderr on purpose.
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only engine/config/env.ts reads the environment: take what you need from loadEnv() or the Config.' },
      ],
      'no-restricted-imports': [
        'error',
        { paths: ['process', 'node:process'].map((name) => ({ name, message: 'Use the global process (and loadEnv() for its environment).' })) },
      ],
    },
  },
  {
    files: ['app/**/*.tsx', 'lib/hooks/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // Playwright reads a fixture's parameters from its source: `async ({}, use) => …` is how a
    // fixture that needs no other fixture is written.
    files: ['e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
