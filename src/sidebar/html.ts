// The studio webview's HTML shell: a strict CSP, the bundled script and styles, nothing inline.
// The studio's text in the display language, and the first `init` (form, history page, jobs), travel as JSON in
// attributes, escaped like any other value, so the page renders at once without asking the host first.
import type { StringTable } from '../../webview/strings';
import type { InitMessage } from '../protocol';

export interface ShellInput {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  /** The display language, for the document's lang attribute. */
  lang: string;
  title: string;
  /** The studio's text in the display language (studioStrings.ts); webview/l10n.ts reads and checks it. */
  strings: StringTable;
  /** What the page starts from (webview/main.ts checks it with the `init` message's schema); it holds user prompts. */
  init?: InitMessage;
}

/** A fresh nonce per render, so a script injected into one render cannot run in another. */
export function makeNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    // blob: shows streamed previews, which the page makes from bytes the host sent and never saves.
    `img-src ${cspSource} blob:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** One page shell for every webview: the same CSP, escaping and script tag; `head` and `body` are already escaped. */
function shell(input: Pick<ShellInput, 'cspSource' | 'scriptUri' | 'lang'>, nonce: string, head: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="${attr(input.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${head}
</head>
<body>
${body}
<script nonce="${attr(nonce)}" src="${attr(input.scriptUri)}"></script>
</body>
</html>`;
}

export function studioHtml(input: ShellInput, nonce: string = makeNonce()): string {
  const init = input.init ? ` data-init="${attr(JSON.stringify(input.init))}"` : '';
  return shell(
    input,
    nonce,
    `<link rel="stylesheet" href="${attr(input.codiconUri)}">
<link rel="stylesheet" href="${attr(input.styleUri)}">
<title>${attr(input.title)}</title>`,
    `<main id="app" aria-busy="true" data-strings="${attr(JSON.stringify(input.strings))}"${init}></main>`,
  );
}

/** The preview and compare panels' shell: the same CSP and escaping, their own small script and styles. */
export function previewHtml(input: Pick<ShellInput, 'cspSource' | 'scriptUri' | 'styleUri' | 'lang'>, nonce: string = makeNonce()): string {
  return shell(
    input,
    nonce,
    `<link rel="stylesheet" href="${attr(input.styleUri)}">`,
    `<div id="stage" aria-live="polite"></div>
<p id="caption"></p>`,
  );
}
