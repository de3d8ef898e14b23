import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-bench/',
      'coverage/',
      'node_modules/',
      'test-output/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      // The engine is pure: it runs unchanged in Node and the browser (ARCHITECTURE.md).
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'fs', 'path', 'express', 'fhirclient', '../config/*', '../cli/*'] },
      ],
      'no-restricted-globals': ['error', 'process', 'console'],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now' }],
    },
  },
  {
    files: ['src/**/browser/**/*.ts'],
    rules: {
      // Browser code: bundled by esbuild for the browser, so no Node built-ins or server modules.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'fs',
            'path',
            'express',
            '**/config/load-screening-config',
            '**/server/*',
            '**/http/*',
            '**/store/*',
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'require', '__dirname'],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', process: 'readonly' },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
);
