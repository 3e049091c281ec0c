// Layering is enforced here (docs/architecture.md, "Layers"): only main/electron may import
// 'electron'; nothing below the renderer imports React; the zones below keep every layer in place.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import importX from 'eslint-plugin-import-x'
import reactHooks from 'eslint-plugin-react-hooks'

const noElectron = {
  name: 'electron',
  message: "Nur main/electron/ darf 'electron' importieren (docs/architecture.md, Schichten).",
}
const noReact = [
  { name: 'react', message: 'Dienste, db und hub bleiben frei von React.' },
  { name: 'react-dom', message: 'Dienste, db und hub bleiben frei von React.' },
]

// The layers of docs/architecture.md, one zone per rule. Each message says which rule a misplaced
// import breaks.
const layerZones = [
  {
    target: ['./main', './db', './hub', './preload'],
    from: './renderer',
    message: 'Kern-Code importiert nie den Renderer.',
  },
  {
    target: './renderer',
    from: ['./main', './db', './hub', './testing', './preload/index.ts'],
    message: 'Der Renderer kennt nur den Vertrag in preload/contract/.',
  },
  {
    target: './preload/contract',
    from: ['./main', './hub', './testing', './preload/index.ts'],
    message: 'Der Vertrag hängt nur von zod, common/ und db/domain.ts ab.',
  },
  {
    target: './common',
    from: ['./main', './db', './hub', './preload', './renderer', './testing'],
    message: 'common/ ist rein (Text, Daten, Zahlen) und importiert nichts aus dem Projekt.',
  },
  {
    target: './hub',
    from: ['./main', './db', './preload'],
    message: 'Der Referenz-Hub teilt nur das Protokolldokument.',
  },
  {
    target: './db',
    from: ['./main', './hub'],
    message: 'db/ kennt keine Dienste, keinen Hub und keine Oberfläche.',
  },
  {
    target: ['./main/core', './main/lib', './main/hub-client', './main/features'],
    from: ['./main/server', './main/electron', './main/desk.ts', './main/demo.ts'],
    productionOnly: true,
    message:
      'Dienste importieren nie main/server, main/electron oder den Aufbau des Arbeitsplatzes (desk.ts).',
  },
  {
    target: [
      './main/core',
      './main/lib',
      './main/hub-client',
      './main/features/*/!(handler).ts',
      './main/features/*/*/**',
    ],
    from: './main/api',
    message:
      'Nur die handler.ts eines Features kennt main/api; Dienste werfen Fehler aus main/core/errors.ts.',
  },
  {
    target: ['./main/core', './main/lib', './main/hub-client'],
    from: './main/features',
    productionOnly: true,
    message: 'core/, lib/ und hub-client/ liegen unter den Features und importieren keines.',
  },
  {
    target: './main/lib',
    from: ['./db', './main/core', './main/hub-client'],
    except: ['./locate.ts', './domain.ts'],
    message: 'main/lib/ sind reine Bibliotheken: keine Datenbank, kein Kontext, kein Hub.',
  },
  {
    target: './main/hub-client',
    from: ['./db', './main/core'],
    message: 'Der Hub-Client kennt nur das Drahtprotokoll.',
  },
]
// Test support (testing/) stays out of the production tree: only tests, benchmarks and scripts use it.
const strip = ({ productionOnly: _p, ...z }) => z
const productionZones = layerZones.map(strip)
// integration tests may build a whole desk (desk.ts) or use a feature's opener
const testZones = layerZones.filter((z) => !z.productionOnly).map(strip)
const noTestSupport = [
  {
    target: ['./main', './db', './hub', './preload', './renderer'],
    from: './testing',
    message: 'Produktionscode importiert nie testing/ (Testhilfen).',
  },
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
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/only-throw-error': 'off',
      'import-x/no-restricted-paths': ['error', { zones: [...productionZones, ...noTestSupport] }],
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
    // rule 7: statements only in db/ (repositories, written with the sql tag of db/sql.ts)
    files: [
      'main/**/*.ts',
      'testing/**/*.ts',
      'common/**/*.ts',
      'preload/**/*.ts',
      'scripts/**/*.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='prepare']",
          message:
            'SQL nur in db/repositories/ mit dem sql-Tag aus db/sql.ts (docs/architecture.md, Regel 7).',
        },
        {
          selector: "CallExpression[callee.property.name='exec'][callee.object.property.name='db']",
          message: 'SQL nur in db/repositories/ (docs/architecture.md, Regel 7).',
        },
      ],
    },
  },
  {
    // tests may use the test support in testing/
    files: ['**/*.test.ts', '**/*.test.tsx', '**/*.testutil.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: testZones }] },
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
