// CSS imported from main.ts is bundled by esbuild into dist/webview.css.
declare module '*.css';
