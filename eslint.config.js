import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'packages/kernel/test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The web app runs in the browser.
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    ...reactHooks.configs.flat.recommended,
  },
  {
    // Issue 10: no function over ~80 lines in the apps (a React component counts); split it into
    // named parts instead. Tests are exempt (they are lists of cases).
    files: ['apps/*/src/**/*.{ts,tsx}'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Still long, each being rewritten by its owner in issue 10 (the server, as the wire is typed;
    // the rule form): remove a file from this list once it is split.
    files: [
      'apps/agent/src/server/agent-server.ts',
      'apps/web/src/dialogs/RuleDialog.tsx',
      'apps/web/src/dialogs/RuleMatches.tsx',
      'apps/web/src/dialogs/RuleTargetOptions.tsx',
    ],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    // Only packages/kernel spawns processes (docs/security.md); keep execa and child_process out of the rest.
    files: ['packages/model/**', 'apps/*/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'execa', message: 'Only packages/kernel spawns processes.' },
            { name: 'child_process', message: 'Only packages/kernel spawns processes.' },
            { name: 'node:child_process', message: 'Only packages/kernel spawns processes.' },
          ],
        },
      ],
    },
  },
);
