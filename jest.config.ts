import type { Config } from 'jest';

// One Jest project per workspace package; TypeScript is compiled by SWC (decorators included),
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
    project('api', { globalSetup: '<rootDir>/src/testing/global-setup.ts' }),
    // Packages whose tests start real API servers probe MySQL the same way.
    project('distributor', { globalSetup: '<rootDir>/../api/src/testing/global-setup.ts' }),
    project('client-sdk', { globalSetup: '<rootDir>/../api/src/testing/global-setup.ts' }),
    project('web'),
  ],
  testTimeout: 60_000,
};

export default config;
