import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// Every package's rule (no deep imports, no relative paths into another package); a block that restricts
// more imports repeats these, since a later `no-restricted-imports` replaces an earlier one.
const PACKAGE_BOUNDARIES = [
  { group: ['@jobmon/*/src/*', '@jobmon/*/dist/*'], message: 'No deep imports across packages.' },
  {
    group: ['../../api/*', '../../distributor/*', '../../client-sdk/*', '../../web/*'],
    message: 'Import another package by its name.',
  },
];

// The server's packages, which neither the client nor the web UI may import.
const SERVER_PACKAGES = ['@jobmon/api', '@jobmon/api/*', '@jobmon/distributor', '@jobmon/distributor/*'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.jobmon/**', 'coverage/**', '**/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: '*/tsconfig.json', noWarnOnMultipleProjects: true }),
      ],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Package boundaries: no import cycles, and packages talk through their public entry points only.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [...PACKAGE_BOUNDARIES],
        },
      ],
    },
  },
  {
    // The domain and the core are pure: no I/O but the clients' fetch, and nothing from the layers above
    // (their tests may start a stand-in server).
    files: ['api/src/domain/**/*.ts', 'core/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../db/*', '../db', '../graphql/*', '../services/*', '../server'],
              message: 'The domain is pure.',
            },
            {
              group: [
                'sequelize',
                'express',
                'graphql',
                'node:fs',
                'node:net',
                'node:http',
                'fs',
                'net',
                'http',
              ],
              message: 'The domain does no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    // The client is a pure client: nothing of the server, the ORM or the drivers (`jobmon server` and
    // `jobmon token --database-url` load the server package at run time: cli/server-package.ts). The
    // tests that start servers live in the e2e/ workspace.
    files: ['client-sdk/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...PACKAGE_BOUNDARIES,
            {
              group: [...SERVER_PACKAGES, 'sequelize', 'sqlite3', 'mysql2', '@apollo/*', 'express'],
              message: 'The client depends on nothing of the server (see cli/server-package.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // The web UI, its tests included, depends on nothing of the server: its tests against a real API
    // server (in Chromium) and its benchmark live in the e2e/ workspace (src/web, src/bench).
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...PACKAGE_BOUNDARIES,
            {
              group: [...SERVER_PACKAGES, '@jobmon/client-sdk', '@jobmon/client-sdk/*', 'playwright-core'],
              message: 'The web package depends on nothing of the server; tests against one go in e2e/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The committed CommonJS launchers that npm links as the packages' commands (see scripts/require-built.js),
    // and CommonJS scripts.
    files: ['*/bin/*.js', 'scripts/require-built.js', 'scripts/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
