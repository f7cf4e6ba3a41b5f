import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  altTextRequest,
  contextKind,
  cutAtWord,
  documentContext,
  HEADING_WINDOW,
  improveInstructions,
  improveRequest,
  MAX_HEADING,
  MAX_PARAGRAPH,
  modelAltText,
  modelAnswer,
} from '../../src/core/promptHelp';

/** The context at the first occurrence of `marker` (selected when `select` is true). */
function at(text: string, marker: string, kind: ReturnType<typeof contextKind>, select = false) {
  const start = text.indexOf(marker);
  assert.ok(start >= 0, `marker ${marker} in the text`);
  return documentContext(text, start, select ? start + marker.length : start, kind);
}

describe('documentContext: Markdown', () => {
  const doc = [
    '# Travel notes',
    '',
    'Intro paragraph.',
    '',
    '## The lighthouse',
    'It stands on the cliff,',
    'painted red and white.',
    '',
    'Next paragraph here.',
  ].join('\n');

  it('takes the paragraph around the cursor and the nearest heading above it', () => {
    assert.deepEqual(at(doc, 'painted', 'markdown'), {
      heading: 'The lighthouse',
      paragraph: 'It stands on the cliff, painted red and white.',
    });
    assert.deepEqual(at(doc, 'Intro', 'markdown', true), { heading: 'Travel notes', paragraph: 'Intro paragraph.' });
    assert.deepEqual(at(doc, 'Next', 'markdown'), { heading: 'The lighthouse', paragraph: 'Next paragraph here.' });
  });

  it('reads setext headings and closing hashes, and none above the first line', () => {
    const setext = 'Harbour\n=======\n\nBoats at dawn.';
    assert.deepEqual(at(setext, 'Boats', 'markdown'), { heading: 'Harbour', paragraph: 'Boats at dawn.' });
    assert.deepEqual(at('## Title ##\n\ntext', 'text', 'markdown'), { heading: 'Title', paragraph: 'text' });
    assert.deepEqual(at('just text', 'text', 'markdown'), { paragraph: 'just text' });
  });

  it('a selection over several paragraphs keeps them all', () => {
    const text = 'one\n\ntwo\n\nthree';
    assert.deepEqual(documentContext(text, text.indexOf('one'), text.indexOf('two') + 3, 'markdown'), { paragraph: 'one two' });
  });

  it('caps the paragraph around the cursor and the heading', () => {
    const long = `# ${'h'.repeat(500)}\n\n${'a '.repeat(3000)}MARK ${'b '.repeat(3000)}`;
    const c = at(long, 'MARK', 'markdown');
    assert.ok(c.paragraph.length <= MAX_PARAGRAPH, `${c.paragraph.length}`);
    assert.ok(c.paragraph.includes('MARK'), 'the cursor stays inside the window');
    assert.ok(c.heading && c.heading.length <= MAX_HEADING, `${c.heading?.length}`);
  });

  it('does not look for a heading further than its window above the cursor', () => {
    const far = `# Far away\n\n${'word\n'.repeat(HEADING_WINDOW / 5 + 10)}\nhere`;
    assert.deepEqual(at(far, 'here', 'markdown'), { paragraph: 'here' });
  });

  it('leaves out control and bidi characters', () => {
    assert.deepEqual(at('# Ti\u202etle\u0007\n\nsee\u2066 this', 'see', 'markdown'), { heading: 'Title', paragraph: 'see this' });
  });
});

describe('documentContext: HTML', () => {
  const html = [
    '<html><body>',
    '<h1>Shop</h1>',
    '<section>',
    '<h2 class="x">Our <em>bakery</em></h2>',
    '<p>Fresh bread &amp; rolls,',
    'baked <b>every</b> morning.</p>',
    '<p>Open daily.</p>',
    '</section>',
  ].join('\n');

  it('takes the element around the cursor as text and the last heading before it', () => {
    assert.deepEqual(at(html, 'baked', 'html'), { heading: 'Our bakery', paragraph: 'Fresh bread & rolls, baked every morning.' });
    assert.deepEqual(at(html, 'Open', 'html'), { heading: 'Our bakery', paragraph: 'Open daily.' });
  });

  it('drops scripts, comments and unsafe character references', () => {
    const page = '<h3>A</h3><p>x<script>alert(1)</script><!-- hidden -->y &#0; &#xD800; &#65;</p>';
    assert.deepEqual(at(page, 'y', 'html'), { heading: 'A', paragraph: 'x y A' });
  });
});

describe('documentContext: plain text', () => {
  it('takes the paragraph and no heading', () => {
    const text = 'Title\n\nfirst line\r\nsecond line\n\nother';
    assert.deepEqual(at(text, 'second', 'plain'), { paragraph: 'first line second line' });
    assert.deepEqual(at('# not a heading here\n\ntext', 'text', 'plain'), { paragraph: 'text' });
  });

  it('copes with offsets outside the text', () => {
    assert.deepEqual(documentContext('abc', 10, 20, 'plain'), { paragraph: 'abc' });
    assert.deepEqual(documentContext('', 0, 0, 'plain'), { paragraph: '' });
  });
});

describe('contextKind', () => {
  it('maps languages', () => {
    assert.equal(contextKind('markdown'), 'markdown');
    assert.equal(contextKind('vue'), 'html');
    assert.equal(contextKind('plaintext'), 'plain');
    assert.equal(contextKind('toString'), 'plain');
  });
});

describe('the request to the model', () => {
  it('fences the prompt and the context and states the limit', () => {
    const r = improveRequest('a lighthouse', { heading: 'Coast', paragraph: 'On the cliff.' });
    assert.match(r, /<<<\na lighthouse\n>>>/);
    assert.match(r, /<<<\nCoast\n>>>/);
    assert.match(r, /<<<\nOn the cliff\.\n>>>/);
    assert.doesNotMatch(improveRequest('p', { paragraph: '' }), /paragraph/);
    assert.match(improveInstructions(4000), /prompt only.*at most 4000 characters/);
    assert.doesNotMatch(altTextRequest('p', 'p'), /revised/);
    assert.match(altTextRequest('p', 'q'), /revised it:\n<<<\nq\n>>>/);
  });
});

describe('modelAnswer', () => {
  it('takes the content of a code fence', () => {
    assert.equal(modelAnswer('Sure! Here it is:\n```text\nA red lighthouse at dusk\n```\nEnjoy.', 100), 'A red lighthouse at dusk');
    assert.equal(modelAnswer('~~~\nunclosed fence', 100), 'unclosed fence');
  });

  it('strips labels and the quotes around the answer', () => {
    assert.equal(modelAnswer('Improved prompt: "A red lighthouse"', 100), 'A red lighthouse');
    assert.equal(modelAnswer('“A red lighthouse”', 100), 'A red lighthouse');
    assert.equal(modelAnswer("Here's the rewritten prompt: 'A quiet harbour'", 100), 'A quiet harbour');
    assert.equal(modelAnswer('**A bold boat**', 100), 'A bold boat');
    assert.equal(modelAnswer('A "quoted" word inside', 100), 'A "quoted" word inside');
  });

  it('removes control, bidi and invisible characters and makes one line', () => {
    assert.equal(modelAnswer('A\u0000 red\u202e light\u200bhouse\u2066\n\nat\tdusk\u001b[31m', 100), 'A red lighthouse at dusk [31m');
    assert.equal(modelAnswer('family 👨\u200d👩\u200d👧', 100), 'family 👨\u200d👩\u200d👧', 'the emoji joiner stays');
    assert.equal(modelAnswer('lone \ud800 surrogate', 100), 'lone surrogate');
  });

  it('caps the length at a word boundary, never splitting a surrogate pair', () => {
    const long = 'word '.repeat(10_000);
    const answer = modelAnswer(long, 4000)!;
    assert.ok(answer.length <= 4000 && answer.endsWith('word'), `${answer.length}`);
    assert.equal(cutAtWord('ab😀', 3), 'ab');
    assert.equal(cutAtWord('abcdefghij', 4), 'abcd');
  });

  it('is undefined when nothing is left', () => {
    assert.equal(modelAnswer('  \u0000 ```\n```', 100), undefined);
    assert.equal(modelAnswer('""', 100), undefined);
    assert.equal(modelAnswer('', 100), undefined);
  });
});

describe('modelAltText', () => {
  it('cleans the answer and cuts it as alt text', () => {
    assert.equal(modelAltText('Alt text: "A red lighthouse on a cliff at dusk."'), 'A red lighthouse on a cliff at dusk.');
    const alt = modelAltText('x '.repeat(500))!;
    assert.ok(alt.length <= 100 && alt.endsWith('…'), alt);
    assert.equal(modelAltText('\u0000'), undefined);
  });
});
