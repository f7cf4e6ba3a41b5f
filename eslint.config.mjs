// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** One no-restricted-imports rule per layer: `banned` is a regex over the import path. */
function layers(list) {
  return list.map(({ files, banned, vscode, why }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...(vscode ? { paths: [{ name: 'vscode', message: why }] } : {}),
          patterns: [{ regex: banned, message: why }],
        },
      ],
    },
  }));
}

const INNER_HTML = {
  selector: "MemberExpression[property.name='innerHTML']",
  message: 'Use textContent: prompts and server text are untrusted.',
};
/** Node's modules, by either name; esbuild's no-node-imports plugin fails the web build on the same. */
const NODE_IMPORT =
  '/^(node:|(fs|os|path|http|https|crypto|dns|net|tls|stream|buffer|url|util|events|zlib|child_process|worker_threads)(\\/|$))/';
const NO_BUFFER = 'Runs in the web extension host too, which has no Buffer: use Uint8Array and the helpers in src/core/bytes.ts.';
/** Node's globals: no import to catch, and undefined (a ReferenceError) in the web extension host's worker. */
const NODE_GLOBALS = [
  { name: 'Buffer', message: NO_BUFFER },
  ...['process', 'require', '__dirname', '__filename', 'global'].map((name) => ({
    name,
    message: `Runs in the web extension host too, which has no ${name}: use a platform seam (src/activate.ts Platform, localDisk.ts).`,
  })),
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', 'test-results/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-restricted-syntax': ['error', INNER_HTML],
    },
  },
  // Layers point one way: core <- config, services, workspace, editor <- flow, commands <- sidebar, chat <- extension.
  ...layers([
    {
      files: ['src/core/**/*.ts'],
      banned: '\\.\\./',
      vscode: true,
      why: 'src/core is pure: it imports nothing from the extension around it.',
    },
    {
      files: ['src/protocol.ts'],
      banned: '\\./(config|services|workspace|editor|flow|commands|sidebar|chat|extension)\\b',
      vscode: true,
      why: 'The webview protocol is shared with the page: core only.',
    },
    {
      files: ['src/{config,services,workspace,editor,shims}/**/*.ts'],
      banned: '\\.\\./(flow|commands|sidebar|chat|extension|protocol)\\b',
      why: 'Services sit below the flows, commands and views that use them.',
    },
    {
      files: ['src/{flow,commands}/**/*.ts'],
      banned: '\\.\\./(sidebar|chat|extension|protocol)\\b',
      why: 'Flows and commands are called by the views, never the other way round.',
    },
    { files: ['src/sidebar/**/*.ts'], banned: '\\.\\./(chat|extension)\\b', why: 'Entry points do not reach into each other.' },
    { files: ['src/chat/**/*.ts'], banned: '\\.\\./(sidebar|extension)\\b', why: 'Entry points do not reach into each other.' },
    {
      files: ['webview/**/*.ts'],
      banned: '\\.\\./src/(?!core/|protocol$)',
      vscode: true,
      why: 'The page runs in the browser: it may use the pure core and the protocol only.',
    },
  ]),
  // The web extension host runs the same sources without Node: only the Node entry and its twins may import it
  // or use its globals.
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    ignores: ['src/extension.ts', 'src/**/*.node.ts', 'src/workspace/localDisk.ts', 'src/shims/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        INNER_HTML,
        {
          selector: `ImportDeclaration[source.value=${NODE_IMPORT}]`,
          message: 'Runs in the web extension host too, which has no Node: use a platform seam (src/core/transport.ts, localDisk.ts).',
        },
      ],
      'no-restricted-globals': ['error', ...NODE_GLOBALS],
      // A Buffer-typed parameter would let buf.readUInt32BE() through the type check, to fail on a Uint8Array there.
      '@typescript-eslint/no-restricted-types': ['error', { types: { Buffer: NO_BUFFER } }],
    },
  },
  { files: ['esbuild.js', 'tools/**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
