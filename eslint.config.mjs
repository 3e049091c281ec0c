// Layering is enforced here (architecture.md, rule 1): only main/electron may import
// 'electron'; nothing below main/api may import React or the renderer.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import importX from 'eslint-plugin-import-x'
import reactHooks from 'eslint-plugin-react-hooks'

const noElectron = {
  name: 'electron',
  message: "Nur main/electron/ darf 'electron' importieren (architecture.md, Regel 1).",
}
const noReact = [
  { name: 'react', message: 'Dienste, db und hub bleiben frei von React.' },
  { name: 'react-dom', message: 'Dienste, db und hub bleiben frei von React.' },
]

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'assets/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { typescript: true, node: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'off',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: ['./main/services', './main/api', './main/hub-client', './main/server', './db', './hub'], from: './renderer', message: 'Kern-Code importiert nie den Renderer.' },
            { target: './renderer', from: ['./main', './db', './hub'], message: 'Der Renderer kennt nur den Vertrag in preload/.' },
            { target: './hub', from: ['./main', './db', './preload'], message: 'Der Referenz-Hub teilt nur das Protokolldokument.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts', 'db/**/*.ts', 'hub/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...noReact] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    // Vitest's asymmetric matchers (expect.stringMatching …) are typed `any`.
    files: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // Playwright fixtures take their dependencies as a destructured first argument, often `{}`.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
)
