import path from 'node:path';

/** A workspace package's directory, found as Node finds the package (its built files are under dist/). */
export function packageDir(name: 'api' | 'client-sdk' | 'distributor' | 'web'): string {
  return path.dirname(require.resolve(`@jobmon/${name}/package.json`));
}
