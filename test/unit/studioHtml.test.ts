import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, makeNonce, studioHtml } from '../../src/sidebar/html';

const input = {
  cspSource: 'https://*.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
  codiconUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicon.css',
  lang: 'en',
  title: 'Image Studio',
};

describe('studio HTML shell', () => {
  it('allows only the webview resources and the nonce script', () => {
    assert.equal(
      contentSecurityPolicy(input.cspSource, 'abc'),
      "default-src 'none'; img-src https://*.vscode-cdn.net; style-src https://*.vscode-cdn.net; font-src https://*.vscode-cdn.net; script-src 'nonce-abc'",
    );
  });

  it('uses a fresh nonce on each render, on its one script', () => {
    const a = makeNonce();
    assert.notEqual(a, makeNonce());
    assert.ok(a.length >= 24);
    const html = studioHtml(input, a);
    assert.equal(html.match(/<script /g)?.length, 1);
    assert.ok(html.includes(`<script nonce="${a}" src="${input.scriptUri}">`));
    assert.ok(html.includes(`script-src 'nonce-${a}'`));
    assert.ok(!/style=|onload=|onclick=/.test(html));
  });

  it('escapes values placed in attributes', () => {
    const html = studioHtml({ ...input, lang: '"><script>x</script>', title: '<b>' }, 'n');
    assert.ok(!html.includes('<script>x'));
    assert.ok(html.includes('<title>&lt;b&gt;</title>'));
  });
});
