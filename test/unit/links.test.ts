import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import {
  altText,
  formatImageLink,
  linkStyleForLanguage,
  needsOwnLine,
  relativePath,
  resolveLinkStyle,
  type InsertSetting,
} from '../../src/core/links';

const ASCII_PUNCT = /[!-/:-@[-`{-~]/;

/**
 * Reads one CommonMark inline image `![alt](dest)` spanning the whole input,
 * honouring backslash escapes, `<...>` destinations and balanced parentheses.
 * Refuses, in the alt text, any character that could open or close a code
 * span, raw HTML or math even when escaped, and entity-decodes nothing. Returns the unescaped alt and the percent-decoded destination.
 */
function parseMarkdownImage(md: string): { alt: string; dest: string } | undefined {
  if (!md.startsWith('![')) return undefined;
  let i = 2;
  let depth = 0;
  let alt = '';
  for (; i < md.length; i++) {
    const c = md[i];
    if (c === '\\' && ASCII_PUNCT.test(md[i + 1] ?? '')) {
      alt += md[++i];
      continue;
    }
    if (/[`<>$\n\r]/.test(c)) return undefined;
    if (c === '[') depth++;
    else if (c === ']' && depth-- === 0) break;
    alt += c;
  }
  if (md[i] !== ']' || md[i + 1] !== '(') return undefined;
  i += 2;
  let dest = '';
  if (md[i] === '<') {
    for (i++; i < md.length && md[i] !== '>'; i++) {
      const c = md[i];
      if (c === '\n' || c === '\r' || c === '<') return undefined;
      if (c === '\\' && ASCII_PUNCT.test(md[i + 1] ?? '')) dest += md[++i];
      else dest += c;
    }
    if (md[i++] !== '>') return undefined;
  } else {
    let parens = 0;
    for (; i < md.length; i++) {
      const c = md[i];
      if (c === ' ' || /\p{Cc}/u.test(c)) return undefined;
      if (c === '\\' && ASCII_PUNCT.test(md[i + 1] ?? '')) {
        dest += md[++i];
        continue;
      }
      if (c === '(') parens++;
      else if (c === ')' && parens-- === 0) break;
      dest += c;
    }
  }
  if (md[i] !== ')' || i !== md.length - 1) return undefined;
  return { alt, dest: decodeURIComponent(dest) };
}

const HOSTILE_PROMPTS: Record<string, string> = {
  newlines: 'line one\nline two\r\n\r\nline three\u2028four',
  quotes: `he said "hi" and 'bye'`,
  backticks: 'run `rm -rf` now ``` fence',
  closingBracket: 'a ] b ]] c',
  closingParen: 'a ) b ](evil.png) c',
  nestedImage: '![x](evil.png "t")',
  script: '<script>alert("x")</script>',
  html: '<img src=x onerror=alert(1)> &amp; &lt;',
  emoji: '🦦 otter 👩‍👩‍👧‍👦 family 🏳️‍🌈',
  rtl: 'שלום עולם مرحبا',
  bidi: 'safe \u202etxt.exe\u202c \u2066x\u2069',
  backslashes: 'a\\b \\[ \\] end\\',
  mathAndTables: '$x$ | col | $$',
  snippetish: '${1:placeholder} {{mustache}} {attr}',
  control: 'bell\u0007 nul\u0000 del\u007f',
  long: 'word '.repeat(2000),
  longNoSpaces: 'x'.repeat(10_000),
};

const PATHS = [
  'images/otter.png',
  'a-cute-baby-sea-otter-20261125-173012.png',
  '../assets/otter.png',
  'my images/otter (1).png',
  'a(b.png',
  'a)b.png',
  'we<ir>d.png',
  'back\\slash.png',
  'hash#1?.png',
  '100%.png',
  'a%20b.png',
  'tab\tname.png',
  'new\nline.png',
  'ünï cödé/🦦.png',
  'a`b.png',
  'pipe|x.png',
  'br[ack]ets.png',
  'nb\u00a0sp.png',
  'x:y/z.png',
  'end\\',
];

/** formatImageLink guards a relative path whose first segment would read as a URL scheme. */
const expectedTarget = (p: string) => (/^[^/]*:/.test(p) ? `./${p}` : p);

describe('linkStyleForLanguage / resolveLinkStyle', () => {
  it('maps language ids to link styles', () => {
    const cases: Record<string, string> = {
      markdown: 'markdown',
      mdx: 'markdown',
      html: 'html',
      javascriptreact: 'html',
      typescriptreact: 'html',
      vue: 'html',
      svelte: 'html',
      astro: 'html',
      php: 'html',
      css: 'css',
      scss: 'css',
      sass: 'css',
      less: 'css',
      stylus: 'css',
      restructuredtext: 'rst',
      asciidoc: 'asciidoc',
      plaintext: 'path',
      typescript: 'path',
      json: 'path',
      '': 'path',
      toString: 'path',
      __proto__: 'path',
    };
    for (const [id, style] of Object.entries(cases)) assert.equal(linkStyleForLanguage(id), style, id);
  });

  it('honours the insert setting', () => {
    assert.equal(resolveLinkStyle('auto', 'restructuredtext'), 'rst');
    assert.equal(resolveLinkStyle('markdown', 'plaintext'), 'markdown');
    assert.equal(resolveLinkStyle('html', 'markdown'), 'html');
    assert.equal(resolveLinkStyle('path', 'markdown'), 'path');
    assert.equal(resolveLinkStyle('none', 'markdown'), undefined);
    assert.equal(resolveLinkStyle('bogus' as InsertSetting, 'css'), 'css');
  });

  it('flags the styles that must start a line', () => {
    assert.equal(needsOwnLine('rst'), true);
    assert.equal(needsOwnLine('asciidoc'), true);
    assert.equal(needsOwnLine('markdown'), false);
    assert.equal(needsOwnLine('path'), false);
  });
});

describe('altText', () => {
  it('flattens to one trimmed line', () => {
    assert.equal(altText('  a\n\tb\r\n\r\nc\u2028d  '), 'a b c d');
  });

  it('keeps short text as is', () => {
    assert.equal(altText('A cute baby sea otter'), 'A cute baby sea otter');
    assert.equal(altText('x'.repeat(100)), 'x'.repeat(100));
    assert.equal(altText('x'.repeat(101)), `${'x'.repeat(99)}…`, 'a hundred characters at most by default');
  });

  it('shortens at a word boundary with an ellipsis', () => {
    assert.equal(altText('alpha beta gamma delta', 12), 'alpha beta…');
    assert.equal(altText('alpha, beta, gamma', 13), 'alpha, beta…');
    const long = altText('word '.repeat(2000));
    assert.ok([...long].length <= 100);
    assert.ok(long.endsWith('word…'));
  });

  it('hard-cuts one long word without splitting characters', () => {
    assert.equal(altText('x'.repeat(10_000), 10), 'x'.repeat(9) + '…');
    const emoji = altText('👩‍👩‍👧‍👦'.repeat(20), 5);
    assert.equal(emoji, '👩‍👩‍👧‍👦'.repeat(4) + '…');
  });

  it('drops bidi controls and control characters', () => {
    assert.equal(altText('safe \u202etxt.exe\u202c'), 'safe txt.exe');
    assert.equal(altText('a\u0000b\u0007c'), 'a b c');
  });

  it('returns an empty string for blank input', () => {
    assert.equal(altText(' \n\t '), '');
  });
});

describe('relativePath', () => {
  it('gives POSIX paths without a ./ prefix', () => {
    assert.equal(relativePath('/ws/docs', '/ws/docs/images/a.png'), 'images/a.png');
    assert.equal(relativePath('/ws/docs', '/ws/docs/a.png'), 'a.png');
    assert.equal(relativePath('/ws/docs/guide', '/ws/images/a.png'), '../../images/a.png');
    assert.equal(relativePath('/ws/docs/', '/ws/docs//x/./a.png'), 'x/a.png');
  });

  it('treats drive letters case-insensitively', () => {
    assert.equal(relativePath('/C:/ws/docs', '/c:/ws/img/a.png'), '../img/a.png');
  });

  it('handles spaces and non-ASCII names verbatim', () => {
    assert.equal(relativePath('/ws/my docs', '/ws/my docs/ünï/🦦 1.png'), 'ünï/🦦 1.png');
  });
});

describe('formatImageLink: markdown', () => {
  it('writes a plain image link', () => {
    assert.equal(formatImageLink('markdown', { path: 'images/otter.png', alt: 'A cute otter' }), '![A cute otter](images/otter.png)');
  });

  it('wraps paths with spaces or parentheses in angle brackets', () => {
    assert.equal(formatImageLink('markdown', { path: 'my images/a (1).png', alt: 'x' }), '![x](<my images/a (1).png>)');
    assert.equal(formatImageLink('markdown', { path: 'a(b.png', alt: 'x' }), '![x](<a(b.png>)');
    assert.equal(formatImageLink('markdown', { path: 'we<ir>d.png', alt: 'x' }), '![x](<we\\<ir\\>d.png>)');
  });

  it('percent-encodes what a URL would misread', () => {
    assert.equal(formatImageLink('markdown', { path: 'hash#1?.png', alt: 'x' }), '![x](hash%231%3F.png)');
    assert.equal(formatImageLink('markdown', { path: 'a%20b.png', alt: 'x' }), '![x](a%2520b.png)');
    assert.equal(formatImageLink('markdown', { path: 'new\nline.png', alt: 'x' }), '![x](new%0Aline.png)');
    assert.equal(formatImageLink('markdown', { path: 'x:y/z.png', alt: 'x' }), '![x](./x:y/z.png)');
  });

  it('escapes brackets, backslashes and inline openers in the alt text', () => {
    assert.equal(
      formatImageLink('markdown', { path: 'a.png', alt: 'a [b] \\ `c` <d> &amp; $e$ | f' }),
      '![a \\[b\\] \\\\ &#96;c&#96; &#60;d&#62; \\&amp; &#36;e&#36; \\| f](a.png)',
    );
  });

  it('produces a single image with the right target for hostile prompts and paths', () => {
    for (const [label, prompt] of Object.entries(HOSTILE_PROMPTS)) {
      for (const p of PATHS) {
        for (const alt of [altText(prompt), prompt]) {
          const md = formatImageLink('markdown', { path: p, alt });
          const parsed = parseMarkdownImage(md);
          assert.ok(parsed, `${label} / ${JSON.stringify(p)}: ${md.slice(0, 200)}`);
          assert.equal(parsed.dest, expectedTarget(p), `${label} / ${JSON.stringify(p)}`);
          assert.ok(!/[\r\n]/.test(md), 'single line');
          if (alt === altText(prompt))
            assert.equal(
              parsed.alt.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))),
              alt,
              label,
            );
        }
      }
    }
  });

  it('agrees with markdown-it when it is installed', (t) => {
    let MarkdownIt:
      | (new (opts?: object) => {
          parseInline(
            src: string,
            env: object,
          ): Array<{ children: Array<{ type: string; attrGet(n: string): string | null; content: string }> | null }>;
        })
      | undefined;
    try {
      MarkdownIt = createRequire(__filename)('markdown-it');
    } catch {
      t.skip('markdown-it is not installed');
      return;
    }
    const md = new MarkdownIt!({ html: true });
    for (const [label, prompt] of Object.entries(HOSTILE_PROMPTS)) {
      for (const p of PATHS) {
        const link = formatImageLink('markdown', { path: p, alt: altText(prompt) });
        // An unclosed code span or bracket before the link must not swallow it.
        const line = 'see ` [ < ' + link + ' ] > after';
        const tokens = md.parseInline(line, {})[0].children ?? [];
        const images = tokens.filter((tok) => tok.type === 'image');
        assert.equal(images.length, 1, `${label} / ${JSON.stringify(p)}: ${link.slice(0, 200)}`);
        assert.equal(decodeURIComponent(images[0].attrGet('src') ?? ''), expectedTarget(p), `${label} / ${JSON.stringify(p)}`);
      }
    }
  });
});

function decodeEntities(s: string): string {
  return s.replace(/&(amp|quot|lt|gt|#(\d+));/g, (_, name: string, code?: string) =>
    code ? String.fromCharCode(Number(code)) : ({ amp: '&', quot: '"', lt: '<', gt: '>' } as Record<string, string>)[name],
  );
}

describe('formatImageLink: html', () => {
  it('writes an img element with size', () => {
    assert.equal(
      formatImageLink('html', { path: 'images/otter.png', alt: 'A cute otter', width: 1536, height: 1024 }),
      '<img src="images/otter.png" alt="A cute otter" width="1536" height="1024" />',
    );
  });

  it('omits unknown or invalid sizes', () => {
    assert.equal(formatImageLink('html', { path: 'a.png', alt: '' }), '<img src="a.png" alt="" />');
    assert.equal(formatImageLink('html', { path: 'a.png', alt: 'x', width: 0, height: Number.NaN }), '<img src="a.png" alt="x" />');
  });

  it('escapes attributes and encodes the URL', () => {
    assert.equal(
      formatImageLink('html', { path: 'my dir/a&b#"1".png', alt: '"<b>" & {x}' }),
      '<img src="my%20dir/a&amp;b%23%221%22.png" alt="&quot;&lt;b&gt;&quot; &amp; &#123;x&#125;" />',
    );
  });

  it('keeps one well-formed element for hostile prompts and paths', () => {
    const shape = /^<img src="([^"<>{}]*)" alt="([^"<>{}]*)" width="1" height="2" \/>$/;
    for (const prompt of Object.values(HOSTILE_PROMPTS)) {
      for (const p of PATHS) {
        const html = formatImageLink('html', { path: p, alt: prompt, width: 1, height: 2 });
        const m = shape.exec(html);
        assert.ok(m, html.slice(0, 200));
        assert.equal(decodeURIComponent(decodeEntities(m[1])), expectedTarget(p));
        assert.equal(decodeEntities(m[2]), altText(prompt, Infinity));
      }
    }
  });
});

describe('formatImageLink: css', () => {
  it('writes a quoted url()', () => {
    assert.equal(formatImageLink('css', { path: '../img/a.png', alt: 'ignored' }), 'url("../img/a.png")');
    assert.equal(formatImageLink('css', { path: 'a"b\\c d.png', alt: '' }), 'url("a\\"b\\\\c d.png")');
  });

  it('round-trips every path', () => {
    for (const p of PATHS) {
      const css = formatImageLink('css', { path: p, alt: '' });
      const m = /^url\("((?:[^"\\\n]|\\.)*)"\)$/.exec(css);
      assert.ok(m, css);
      assert.equal(decodeURIComponent(m[1].replace(/\\(.)/g, '$1')), expectedTarget(p));
    }
  });
});

/** What docutils' `directives.uri` makes of an image argument. */
function docutilsUri(arg: string): string {
  const nulled = arg.replace(/\\(.?)/gs, '\0$1');
  return nulled
    .split(/\0[ \n]/)
    .map((part) =>
      part
        .replace(/\0(.)?/gs, '$1')
        .split(/\s+/)
        .join(''),
    )
    .join(' ');
}

describe('formatImageLink: rst', () => {
  it('writes an image directive with options', () => {
    assert.equal(
      formatImageLink('rst', { path: 'images/otter.png', alt: 'A cute otter', width: 1536, height: 1024 }),
      '.. image:: images/otter.png\n   :alt: A cute otter\n   :width: 1536\n   :height: 1024',
    );
    assert.equal(formatImageLink('rst', { path: 'a.png', alt: '' }), '.. image:: a.png');
  });

  it('escapes whitespace and backslashes in the URI', () => {
    assert.equal(formatImageLink('rst', { path: 'my dir/a\\b.png', alt: 'x' }), '.. image:: my\\ dir/a\\\\b.png\n   :alt: x');
  });

  it('keeps the directive intact for hostile prompts and paths', () => {
    for (const prompt of Object.values(HOSTILE_PROMPTS)) {
      for (const p of PATHS) {
        const lines = formatImageLink('rst', { path: p, alt: prompt }).split('\n');
        assert.equal(lines.length, 2);
        assert.equal(docutilsUri(lines[0].slice('.. image:: '.length)), p.replace(/\p{Cc}|(?! )\s/gu, encodeURIComponent));
        assert.equal(lines[1], `   :alt: ${altText(prompt, Infinity)}`);
      }
    }
  });
});

describe('formatImageLink: asciidoc', () => {
  it('writes a block image macro with a quoted alt', () => {
    assert.equal(
      formatImageLink('asciidoc', { path: 'images/otter.png', alt: 'A "cute", otter]', width: 1536, height: 1024 }),
      'image::images/otter.png["A \\"cute\\", otter]",1536,1024]',
    );
    assert.equal(formatImageLink('asciidoc', { path: 'a.png', alt: '' }), 'image::a.png[]');
    assert.equal(formatImageLink('asciidoc', { path: 'a.png', alt: '', width: 5, height: 6 }), 'image::a.png[,5,6]');
    assert.equal(formatImageLink('asciidoc', { path: 'a.png', alt: 'x', height: 6 }), 'image::a.png["x",height=6]');
  });

  it('keeps the target and alt parseable for hostile prompts and paths', () => {
    const shape = /^image::(\S|\S.*?\S)\[(?:"((?:[^"\\]|\\.)*)")?(?:,1,2)\]$/;
    for (const prompt of Object.values(HOSTILE_PROMPTS)) {
      for (const p of PATHS) {
        const adoc = formatImageLink('asciidoc', { path: p, alt: prompt, width: 1, height: 2 });
        const m = shape.exec(adoc);
        assert.ok(m, adoc.slice(0, 200));
        assert.ok(!/[\s[\]{]/.test(m[1]), m[1]);
        assert.equal(decodeURIComponent(m[1]), expectedTarget(p));
        assert.ok(!/(^|[^\\])\{\w[\w:!-]*\}/.test(m[2] ?? ''), 'attribute references are escaped');
        assert.equal((m[2] ?? '').replace(/\\(["{])/g, '$1'), altText(prompt, Infinity).replace(/\\+$/, ''));
      }
    }
  });
});

describe('formatImageLink: path', () => {
  it('returns the path unchanged', () => {
    assert.equal(formatImageLink('path', { path: 'my images/a (1).png', alt: 'x' }), 'my images/a (1).png');
  });
});
