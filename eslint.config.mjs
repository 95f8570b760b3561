// typescript-eslint's recommended rules over every TypeScript source, and the
// layering of the tree (ARCHITECTURE.md) as import rules:
//   - no import cycles anywhere;
//   - shared/ (the core) never imports server/, client/ or cli/, nor vscode;
//   - the store layer (shared/store) never imports the Secrets Manager, the
//     KMS, the pipeline or the composition root: stores sit below them;
//   - only the composition root (shared/compose) and the entry points wire
//     the core together.
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

const upward = (dirs) => dirs.map((d) => ({ group: [`**/${d}/**`, `../${d}/*`, `../../${d}/*`], message: `this layer may not import ${d}/ (see eslint.config.mjs)` }));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'scripts/workbench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts', 'server/**/*.ts', 'client/**/*.ts', 'cli/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json', '.node'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'shared/ runs outside VS Code too' }], patterns: upward(['server', 'client', 'cli']) }],
    },
  },
  {
    files: ['shared/store/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'shared/ runs outside VS Code too' }], patterns: upward(['server', 'client', 'cli', 'secrets', 'kms', 'core', 'compose']) }],
    },
  },
  {
    files: ['shared/core/**/*.ts', 'shared/kms/**/*.ts', 'shared/secrets/**/*.ts', 'shared/policy/**/*.ts', 'shared/audit/**/*.ts', 'shared/crypto/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'shared/ runs outside VS Code too' }], patterns: upward(['server', 'client', 'cli', 'compose']) }],
    },
  },
);
