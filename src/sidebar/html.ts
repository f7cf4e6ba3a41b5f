// The studio webview's HTML shell: a strict CSP, the bundled script and styles, nothing inline.
// The studio's text in the display language travels as JSON in an attribute, escaped like any other value.
import { randomBytes } from 'node:crypto';
import type { StringTable } from '../../webview/strings';

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
}

/** A fresh nonce per render, so a script injected into one render cannot run in another. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `img-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function studioHtml(input: ShellInput, nonce: string = makeNonce()): string {
  return `<!DOCTYPE html>
<html lang="${attr(input.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(input.codiconUri)}">
<link rel="stylesheet" href="${attr(input.styleUri)}">
<title>${attr(input.title)}</title>
</head>
<body>
<main id="app" aria-busy="true" data-strings="${attr(JSON.stringify(input.strings))}"></main>
<script nonce="${attr(nonce)}" src="${attr(input.scriptUri)}"></script>
</body>
</html>`;
}
