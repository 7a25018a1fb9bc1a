import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.jobmon/**', 'coverage/**', '**/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Packages talk through their public entry points only.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@jobmon/*/src/*', '@jobmon/*/dist/*'], message: 'No deep imports across packages.' }] },
      ],
    },
  },
);
