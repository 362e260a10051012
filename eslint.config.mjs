import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'network/run*/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Determinism: chaincode must never read wall-clock time or randomness (DESIGN.md invariant 5).
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Chaincode must be deterministic.' },
        { object: 'Date', property: 'now', message: 'Use the transaction timestamp (ctx.now).' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['chaincode/src/engine/**', '**/test/**', 'gateway/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Tests read chaincode answers as loose JSON; the contracts themselves stay fully typed.
    files: ['**/test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
