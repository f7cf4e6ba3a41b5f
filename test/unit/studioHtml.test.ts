import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShellInit, type InitMessage } from '../../src/protocol';
import { contentSecurityPolicy, makeNonce, previewHtml, studioHtml } from '../../src/sidebar/html';
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

/** An attribute of <main id="app"> as the browser reads it: its text with the character references decoded. */
function appAttribute(html: string, name: string): string {
  const main = /<main id="app" aria-busy="true"( data-[a-z]+="[^"]*")*><\/main>/.exec(html);
  assert.ok(main, '<main id="app"> with only double-quoted data- attributes');
  const m = new RegExp(` ${name}="([^"]*)"`).exec(main[0]);
  assert.ok(m, `a double-quoted ${name} attribute on <main id="app">`);
  assert.ok(!/[<>'"]/.test(m[1]!), 'no raw <, >, quote or apostrophe in the attribute');
  return m[1]!.replace(/&(quot|lt|gt|amp|#39);/g, (_, e: string) => ({ quot: '"', lt: '<', gt: '>', amp: '&', '#39': "'" })[e]!);
}
const stringsAttribute = (html: string) => appAttribute(html, 'data-strings');

/** A start with one history entry whose prompt is the given text. */
function initWith(prompt: string): InitMessage {
  return {
    type: 'init',
    formRevision: 0,
    form: {
      ...{ prompt, model: 'gpt-image-1', size: '1024x1024', quality: 'high', outputFormat: 'png', n: 1 },
      ...{ background: 'auto', moderation: 'auto', outputCompression: 100, inputFidelity: 'low', previews: 'off' },
    },
    models: [],
    prices: {},
    history: {
      entries: [
        {
          id: 'e1',
          time: 1_700_000_000_000,
          prompt,
          model: 'gpt-image-1',
          status: 'succeeded',
          files: [
            {
              uri: 'file:///w/images/a.png',
              src: 'https://file+.vscode-resource.vscode-cdn.net/w/images/a.png',
              name: 'a.png',
              width: 1024,
              height: 1024,
              missing: false,
            },
          ],
        },
      ],
      total: 1,
      offset: 0,
      query: '',
    },
    jobs: [],
  };
}

describe('studio HTML shell', () => {
  it('allows only the webview resources and the nonce script', () => {
    assert.equal(
      contentSecurityPolicy(input.cspSource, 'abc'),
      "default-src 'none'; img-src https://*.vscode-cdn.net blob:; style-src https://*.vscode-cdn.net; font-src https://*.vscode-cdn.net; script-src 'nonce-abc'",
    );
  });

  it('uses a fresh nonce on each render, on its one script', () => {
    const a = makeNonce();
    assert.notEqual(a, makeNonce());
    assert.ok(a.length >= 24);
    const html = studioHtml(input, a);
    assert.equal(html.match(/<script /g)?.length, 1);
    assert.ok(html.includes(`<script nonce="${a}" src="${input.scriptUri}">`));
    assert.ok(html.includes(`script-src &#39;nonce-${a}&#39;`), 'the CSP, escaped like any attribute');
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

  it('carries the first history page inside its attribute, a hostile prompt included, and the page reads it back unchanged', () => {
    const prompt = `"><script>alert(1)</script> </main></script><img src=x onerror=alert(2)> Tom & Jerry's "quote" &amp; &#39;`;
    const init = initWith(prompt);
    const html = studioHtml({ ...input, init }, 'n');
    assert.equal(html.match(/<script/g)?.length, 1, 'still the one script');
    assert.equal(html.match(/<\/script>/g)?.length, 1);
    assert.equal(html.match(/<\/main>/g)?.length, 1);
    assert.ok(!/<img/.test(html));
    assert.equal(html.replace(/ data-init="[^"]*"/, ''), studioHtml(input, 'n'), 'only the attribute is added');
    const read = appAttribute(html, 'data-init');
    assert.deepEqual(JSON.parse(read), init);
    assert.deepEqual(parseShellInit(read), init, 'valid for the init message schema');
  });

  it('leaves out the start data when there is none, and the page refuses any that is not a valid init', () => {
    assert.ok(!studioHtml(input, 'n').includes('data-init'));
    assert.equal(parseShellInit(undefined), undefined);
    assert.equal(parseShellInit('{"type":"init"'), undefined, 'not JSON');
    const noJobs: Partial<InitMessage> = initWith('x');
    delete noJobs.jobs;
    assert.equal(parseShellInit(JSON.stringify(noJobs)), undefined, 'a field missing');
    assert.equal(parseShellInit(JSON.stringify({ ...initWith('x'), extra: 1 })), undefined, 'an unknown field');
    assert.equal(parseShellInit(JSON.stringify(initWith('bell \u0007'))), undefined, 'a control character in a prompt');
    assert.equal(parseShellInit(JSON.stringify({ ...initWith('x'), type: 'history' })), undefined, 'another message');
  });
});

describe('preview panel HTML shell', () => {
  it('has the CSP, its one nonce script, and every value attribute-escaped', () => {
    const html = previewHtml(
      { cspSource: input.cspSource, scriptUri: 'https://x/p.js?a="><b>', styleUri: 'https://x/p.css', lang: 'en"x' },
      'abc',
    );
    assert.ok(html.includes(`content="${contentSecurityPolicy(input.cspSource, 'abc').replace(/'/g, '&#39;')}"`));
    assert.equal(html.match(/<script /g)?.length, 1);
    assert.ok(html.includes('src="https://x/p.js?a=&quot;&gt;&lt;b&gt;"'));
    assert.ok(html.includes('lang="en&quot;x"'));
    assert.ok(!html.includes('<b>'));
  });
});
