// Builds the shipped bundles (extension host: Node/CJS; the studio and preview pages: browser/IIFE)
// and, with --tests, transpiles tests, tools and the sources (the webview's too, for its pure parts)
// file-by-file into out/ for node and Mocha.
// @ts-check
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** Prints errors in the form the `$esbuild-watch` problem matcher reads. @type {import('esbuild').Plugin} */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/** @type {import('esbuild').BuildOptions} */
const shared = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
  legalComments: 'none',
};

/**
 * Fails the web build on any Node import (node:*, or a builtin's bare name): the web extension host
 * has no Node, and a shim would hide the mistake until the code ran. @type {import('esbuild').Plugin}
 */
const noNodeImports = {
  name: 'no-node-imports',
  setup(build) {
    const builtins = new Set(require('node:module').builtinModules);
    build.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.replace(/^node:/, '').split('/')[0];
      if (!args.path.startsWith('node:') && !builtins.has(args.path) && !builtins.has(bare)) return undefined;
      return {
        errors: [{ text: `"${args.path}" is a Node module, and the web extension host has no Node (imported by ${args.importer})` }],
      };
    });
  },
};

/** What the browser's extension host loads (a web worker): the extension's web bundle and the web pass's suites. */
const webHost = {
  bundle: true,
  format: 'cjs',
  platform: 'browser',
  target: 'es2022',
  mainFields: ['browser', 'module', 'main'],
  // Platform twins: ./localDisk resolves to localDisk.web.ts here.
  resolveExtensions: ['.web.ts', '.ts', '.js'],
  // No Buffer, even one another extension in the same worker put on globalThis: src/core/bytes.ts's
  // Node branches drop out of these bundles.
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"', 'globalThis.Buffer': 'undefined' },
  external: ['vscode'],
};

/** The web pass's suites (test/web): bundled for the browser, not transpiled file by file for Node. */
const WEB_TESTS = path.join('test', 'web');

function listTs(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
}

/** The webview links codicons from dist/, as only dist/ and media/ are shipped and reachable from it. */
function copyCodicons() {
  const from = path.join('node_modules', '@vscode', 'codicons', 'dist');
  fs.mkdirSync('dist', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, file), path.join('dist', file));
}

async function main() {
  if (!tests) copyCodicons();
  const contexts = tests
    ? [
        await esbuild.context({
          entryPoints: [
            ...listTs('src'),
            ...listTs('webview'),
            ...listTs('test').filter((f) => !f.startsWith(WEB_TESTS)),
            ...listTs('tools'),
          ],
          outdir: 'out',
          outbase: '.',
          format: 'cjs',
          platform: 'node',
          target: 'node20',
          sourcemap: 'inline',
          logLevel: 'warning',
        }),
        // The web pass's suites: one bundle the browser's extension host loads, built like dist/web/extension.js.
        await esbuild.context({
          ...webHost,
          entryPoints: [path.join(WEB_TESTS, 'index.ts')],
          outfile: path.join('out', WEB_TESTS, 'index.js'),
          sourcemap: 'inline',
          logLevel: 'warning',
          plugins: [noNodeImports],
        }),
      ]
    : [
        await esbuild.context({
          ...shared,
          entryPoints: ['src/extension.ts'],
          outfile: 'dist/extension.js',
          format: 'cjs',
          platform: 'node',
          target: 'node20',
          external: ['vscode'],
          alias: { 'form-data': './src/shims/formData.ts', 'follow-redirects': './src/shims/followRedirects.ts' },
          metafile: true,
        }),
        // The web extension host's bundle (vscode.dev, github.dev): a web worker, the same sources, no Node.
        await esbuild.context({
          ...shared,
          ...webHost,
          entryPoints: ['src/extension.web.ts'],
          outfile: 'dist/web/extension.js',
          plugins: [...shared.plugins, noNodeImports],
        }),
        await esbuild.context({
          ...shared,
          entryPoints: ['webview/main.ts'],
          outfile: 'dist/webview.js',
          format: 'iife',
          platform: 'browser',
          target: 'es2022',
        }),
        // The preview panel's page: its own small bundle, so it does not load the studio.
        await esbuild.context({
          ...shared,
          entryPoints: ['webview/preview.ts'],
          outfile: 'dist/preview.js',
          format: 'iife',
          platform: 'browser',
          target: 'es2022',
        }),
      ];
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
  } else {
    await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
