import type { Config } from 'jest';

// One Jest project per workspace package (e2e: the tests across packages); TypeScript is compiled by SWC (decorators included),
// type checking is `npm run typecheck`'s job.
const swc: Config['transform'] = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

/** The same with TSX and React's automatic JSX runtime (the web package). */
const swcReact: Config['transform'] = {
  '^.+\\.tsx?$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', tsx: true },
        transform: { react: { runtime: 'automatic' } },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

const project = (name: string, extra: Partial<Config> = {}): Config => ({
  displayName: name,
  rootDir: `<rootDir>/${name}`,
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  testEnvironment: 'node',
  transform: swc,
  ...extra,
});

const config: Config = {
  projects: [
    project('core'),
    project('api', {
      globalSetup: '<rootDir>/src/testing/global-setup.ts',
      globalTeardown: '<rootDir>/src/testing/global-teardown.ts',
    }),
    project('distributor'),
    project('client-sdk'),
    // The cross-package end-to-end, fault and client tests: real API servers (from the packages' builds,
    // as users run them), so they probe MySQL and Redis the same way. They are the longest files, each
    // on SQLite then MySQL: two projects, one per dialect (JOBMON_TEST_DIALECT), run a file's halves in
    // parallel.
    project('e2e', {
      displayName: 'e2e',
      globalSetup: '<rootDir>/../api/src/testing/global-setup.ts',
      globalTeardown: '<rootDir>/../api/src/testing/global-teardown.ts',
      setupFiles: ['<rootDir>/src/testing/dialect-sqlite.ts'],
      setupFilesAfterEnv: ['<rootDir>/src/testing/jest-setup.ts'],
      // MySQL's own fault test (a private MariaDB server) runs in the MySQL half; the browser tests in e2e-web.
      testPathIgnorePatterns: ['/node_modules/', '/faults/mariadb-restart\\.', '/src/web/'],
    }),
    project('e2e', {
      displayName: 'e2e-mysql',
      globalSetup: '<rootDir>/../api/src/testing/global-setup.ts',
      globalTeardown: '<rootDir>/../api/src/testing/global-teardown.ts',
      setupFiles: ['<rootDir>/src/testing/dialect-mysql.ts'],
      setupFilesAfterEnv: ['<rootDir>/src/testing/jest-setup.ts'],
      // Tests of no database at all run once, in the SQLite half, and Slurm's both halves there (their
      // jobs at once would not fit its CPUs).
      testPathIgnorePatterns: [
        '/node_modules/',
        '/cli/bin\\.test\\.ts$',
        '/testing/processes\\.test\\.ts$',
        '/slurm\\.e2e\\.test\\.ts$',
        '/slurm-skip\\.test\\.ts$',
        '/src/web/',
      ],
    }),
    // The web UI in Debian's Chromium against real API servers serving the built UI (e2e/src/web), each
    // file on SQLite then MySQL. A project of their own: Jest runs a project's global setup only when it
    // has tests to run, so the UI is built (once) only for them.
    project('e2e', {
      displayName: 'e2e-web',
      testMatch: ['<rootDir>/src/web/**/*.test.ts'],
      globalSetup: '<rootDir>/src/testing/web-global-setup.ts',
      globalTeardown: '<rootDir>/src/testing/web-global-teardown.ts',
      // e2e's timeout (a browser and a server per file take longer than a minute on a loaded machine).
      setupFilesAfterEnv: ['<rootDir>/src/testing/jest-setup.ts'],
    }),
    // web: unit tests (node) and component tests (*.test.tsx, jsdom by their @jest-environment docblock);
    // its browser tests against a real server are e2e-web's.
    project('web', {
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/src/**/*.test.tsx'],
      transform: swcReact,
      setupFiles: ['<rootDir>/src/testing/jest-setup.ts'],
      // CommonJS builds of the UI's dependencies (jsdom would pick their ESM "browser" builds).
      testEnvironmentOptions: { customExportConditions: ['node', 'require', 'default'] },
      moduleNameMapper: {
        '\\.css$': '<rootDir>/src/testing/empty-module.ts',
        // Observable Plot and d3 ship ESM only, but for their UMD bundles (which require d3's by this name).
        '^@observablehq/plot$': '<rootDir>/../node_modules/@observablehq/plot/dist/plot.umd.js',
        '^d3@7\\.9\\.0/dist/d3\\.min\\.js$': '<rootDir>/../node_modules/d3/dist/d3.js',
      },
    }),
  ],
  testTimeout: 60_000,
  // Most test files wait on servers, databases and child processes, not on the CPU: on a 2-core machine
  // Jest's default (cores - 1 = one file at a time) leaves the machine idle. The tests hold under load.
  maxWorkers: 3,
};

export default config;
