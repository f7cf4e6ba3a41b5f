import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, makeNonce, studioHtml } from '../../src/sidebar/html';
import { parseStrings } from '../../webview/l10n';
import { EN } from '../../webview/strings';

const input = {
  cspSource: 'https://*.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
  codiconUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicon.css',
  lang: 'en',
  title: 'Image Studio',
  strings: EN,
};

/** The value of `data-strings` as the browser reads it: the attribute's text with its character references decoded. */
function stringsAttribute(html: string): string {
  const m = /<main id="app" aria-busy="true" data-strings="([^"]*)"><\/main>/.exec(html);
  assert.ok(m, 'one double-quoted data-strings attribute on <main id="app">');
  assert.ok(!/[<>]/.test(m[1]!), 'no raw < or > in the attribute');
  return m[1]!.replace(/&(quot|lt|gt|amp);/g, (_, e: string) => ({ quot: '"', lt: '<', gt: '>', amp: '&' })[e]!);
}

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

  it('hands the page the text table as escaped JSON that reads back unchanged', () => {
    const html = studioHtml(input, 'n');
    assert.deepEqual(JSON.parse(stringsAttribute(html)), EN);
    assert.deepEqual(parseStrings(stringsAttribute(html)), { table: EN });
  });

  it('keeps hostile translations inside the attribute', () => {
    const strings = {
      ...EN,
      prompt: '</script><script>alert(1)</script>',
      model: '"><img src=x onerror=alert(1)>',
      size: "' <!-- &quot; &amp; \\ \u2028 \n",
      cost: '</main><script nonce="n">x</script> {0}',
    };
    const html = studioHtml({ ...input, strings }, 'n');
    assert.equal(html.match(/<script /g)?.length, 1, 'still the one script');
    assert.equal(html.match(/<\/main>/g)?.length, 1);
    assert.ok(!/<img|<!--/.test(html));
    assert.equal(
      html.replace(/data-strings="[^"]*"/, ''),
      studioHtml(input, 'n').replace(/data-strings="[^"]*"/, ''),
      'only the attribute differs',
    );
    const read = stringsAttribute(html);
    assert.deepEqual(JSON.parse(read), strings);
    assert.deepEqual(parseStrings(read).table, strings);
  });
});
