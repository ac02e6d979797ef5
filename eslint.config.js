// ESLint flat config: typescript-eslint strict (type-aware where it matters), lit and lit-a11y on the client.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { configs as litConfigs } from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.tmp/',
      'test-results/',
      'data/',
      'coverage/',
      'dev-dist/',
      'design-docs/**/*.js',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['client/**/*.ts'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['client/**/*.ts'],
    ...litA11y.configs.recommended,
  },
);
