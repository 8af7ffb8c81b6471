// ESLint flat config. Besides the TypeScript rules it enforces ARCHITECTURE.md's boundaries:
// src-shared imports nothing from Node/Electron/DOM/React, src-renderer imports src-shared only,
// and only src-main/electron imports 'electron'.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import local from './.eslint-plugin-local/index.js';

// No double cast through unknown in app code (`x as unknown as T` silences the type checker
// entirely); tests may still build deliberately wrong input that way.
const noDoubleCast = {
  selector: "TSAsExpression[expression.type='TSAsExpression'][expression.typeAnnotation.type='TSUnknownKeyword']",
  message: 'No `as unknown as`: parse or narrow the value (zod, a type guard) instead of casting through unknown.',
};

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'worker_threads', 'url', 'util', 'stream', 'events', 'zlib', 'module', 'process', 'buffer'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.native/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // bin/ is CommonJS (bin/package.json: an ES-module entry costs every start Node's ES module loader).
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Layers inside src-main (.eslint-plugin-local/code-layering.js) and no import cycles anywhere.
    plugins: { local },
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    rules: { 'local/no-import-cycle': 'error' },
  },
  {
    files: ['src-main/**/*.ts'],
    rules: { 'local/code-layering': 'error' },
  },
  {
    // Functions stay short enough to read (blank lines and comments not counted).
    files: ['src-main/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 120, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', noDoubleCast] },
  },
  {
    files: ['src-shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'src-shared must run anywhere: no Node built-ins.' },
          { group: ['electron', 'react', 'react-dom', 'react/*', 'better-sqlite3', 'systeminformation', 'onnxruntime-node'], message: 'src-shared imports no Node, Electron, DOM or React modules.' },
          { group: ['**/src-main/**', '**/src-renderer/**', '../../src-main/*', '../../src-renderer/*'], message: 'src-shared depends on nothing else in the app.' },
        ],
      }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'The renderer runs in a sandboxed page: no Node built-ins.' },
          { group: ['electron', 'better-sqlite3', 'systeminformation', 'onnxruntime-node'], message: 'The renderer reaches the backend through the API client only.' },
          { group: ['**/src-main/**', '../src-main/*', '../../src-main/*'], message: 'src-renderer imports src-shared only.' },
        ],
      }],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron'], message: 'Only src-main/electron/ imports electron.' },
          { group: ['**/src-renderer/**', '../src-renderer/*', '../../src-renderer/*'], message: 'The backend does not import the renderer.' },
        ],
      }],
    },
  },
  {
    // Markup is written with the tagged templates of src-shared/markup only (docs/escaping.md): no
    // string or untagged template literal that opens a tag, so no data is ever concatenated into SVG or HTML.
    files: ['src-shared/charts/**/*.ts', 'src-shared/reports/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        noDoubleCast,
        { selector: ':not(TaggedTemplateExpression) > TemplateLiteral > TemplateElement[value.raw=/<[!a-zA-Z]|<[/]/]', message: 'Write markup with svg`…` / html`…` from src-shared/markup (docs/escaping.md), not an untagged template.' },
        { selector: 'Literal[value=/<[!a-zA-Z]|<[/]/]', message: 'Write markup with svg`…` / html`…` from src-shared/markup (docs/escaping.md), not a string.' },
      ],
    },
  },
  {
    // The renderer mounts HTML only as SafeMarkup: dangerouslySetInnerHTML={innerMarkup(…)}, which takes nothing else.
    files: ['src-renderer/**/*.tsx'],
    rules: {
      'no-restricted-syntax': ['error',
        noDoubleCast,
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML'] > JSXExpressionContainer > :not(CallExpression[callee.name='innerMarkup'])", message: 'Mount markup only as dangerouslySetInnerHTML={innerMarkup(safeMarkup)} (src-shared/markup).' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
