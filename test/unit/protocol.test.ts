import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cleanText,
  describeInvalid,
  isSafeUri,
  MAX_COMPARE_LABEL,
  MAX_MASK_BASE64,
  MAX_PARENT_PROMPT,
  MAX_PROMPT,
  newerForm,
  PAGE_SIZE,
  parseToHost,
  parseToPreview,
  parseToWebview,
  parseUriList,
  type FormState,
} from '../../src/protocol';

const form: FormState = {
  prompt: 'a sea otter',
  model: 'gpt-image-2-origin',
  size: '1920x1080',
  quality: 'high',
  outputFormat: 'png',
  n: 2,
  background: 'auto',
  moderation: 'auto',
  outputCompression: 100,
  inputFidelity: 'low',
  previews: '2',
};
const file = 'file:///home/me/ws/images/otter-20260101-120000.png';
const photo = 'file:///home/me/ws/photos/beach.png';
const referenceView = {
  uri: photo,
  src: 'https://file+.vscode-resource.vscode-cdn.net/home/me/ws/photos/beach.png',
  name: 'beach.png',
  width: 1024,
  height: 768,
};
const fileView = {
  uri: file,
  src: 'https://file+.vscode-resource.vscode-cdn.net/home/me/ws/images/otter.png',
  name: 'otter.png',
  width: 1920,
  height: 1080,
  missing: false,
};

describe('messages to the host', () => {
  it('accepts every valid message', () => {
    const valid: unknown[] = [
      { type: 'ready' },
      { type: 'generate', jobId: 'job-lq2x-ab12cd', options: form },
      { type: 'cancel', jobId: 'job-1' },
      { type: 'useSelection' },
      ...['insert', 'open', 'reveal', 'copyMarkdown', 'copyPath', 'delete'].map((type) => ({ type, file })),
      { type: 'reusePrompt', entryId: '1767268800000-ab12cd' },
      { type: 'refreshModels' },
      { type: 'saveForm', revision: 1, form },
      { type: 'saveForm', revision: 1, form: { ...form, prompt: '', size: 'auto', quality: '' } },
      { type: 'search', query: 'otter' },
      { type: 'loadMore' },
      { type: 'pickReferences' },
      { type: 'dropReferences', uris: [photo, file] },
      { type: 'removeReference', uri: photo },
      { type: 'edit', jobId: 'job-3', options: form, images: [photo] },
      { type: 'edit', jobId: 'job-4', options: form, images: Array(16).fill(photo), mask: 'iVBORw0KGgo=' },
    ];
    for (const m of valid) assert.deepEqual(parseToHost(m), m, JSON.stringify(m));
  });

  it('accepts remote and Windows file URIs as VS Code writes them', () => {
    for (const uri of ['file:///c%3A/Users/me/ws/images/a%20b.png', 'vscode-remote://ssh-remote%2Bbox/home/me/ws/images/a.png']) {
      assert.ok(parseToHost({ type: 'open', file: uri }), uri);
    }
  });

  it('rejects unknown types and anything that is not a message', () => {
    for (const m of [
      undefined,
      null,
      42,
      'ready',
      [],
      {},
      { type: 'exec', command: 'workbench.action.terminal.new' },
      { type: 'READY' },
      { type: 'constructor' },
    ]) {
      assert.equal(parseToHost(m), undefined, JSON.stringify(m));
    }
  });

  it('rejects extra fields, at the top and inside the form', () => {
    assert.equal(parseToHost({ type: 'ready', command: 'x' }), undefined);
    assert.equal(parseToHost({ type: 'open', file, args: ['--x'] }), undefined);
    assert.equal(parseToHost({ type: 'generate', jobId: 'j', options: { ...form, insert: 'html' } }), undefined);
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, __proto__: { polluted: true }, extra: 1 } }), undefined);
  });

  it('rejects missing or mistyped fields', () => {
    assert.equal(parseToHost({ type: 'open' }), undefined);
    assert.equal(parseToHost({ type: 'open', file: 42 }), undefined);
    assert.equal(parseToHost({ type: 'generate', jobId: 'j' }), undefined);
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, n: 0 } }), undefined);
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, n: 11 } }), undefined);
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, n: 1.5 } }), undefined);
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, outputFormat: 'gif' } }), undefined);
  });

  it('rejects file references that are paths, traverse, or carry markup', () => {
    const hostile = [
      '/etc/passwd',
      '../../etc/passwd',
      'C:\\Windows\\system32',
      'file:///home/me/ws/images/../../../.ssh/id_rsa',
      'file:///home/me/ws/images/%2e%2e/%2E%2E/secret',
      'file:///home/me/ws/./images/a.png',
      'file:///home/me/ws/images/..%2f..%2fsecret',
      'file:///home/me/ws/images/a.png?..',
      'file:///home/me/ws/images/a%5c..%5csecret.png',
      'file:///home/me/ws/images/a.png"><img src=x onerror=alert(1)>',
      'file:///home/me/ws/images/a%00.png',
      'file:///home/me/ws/images/%E0%A4%A.png',
      'javascript alert(1)',
      '',
      `file:///${'a/'.repeat(3000)}a.png`,
    ];
    for (const f of hostile) {
      assert.equal(isSafeUri(f) && f.length <= 4096, false, f);
      assert.equal(parseToHost({ type: 'delete', file: f }), undefined, f);
    }
  });

  it('rejects markup, paths and control characters in ids, models and sizes', () => {
    assert.equal(parseToHost({ type: 'cancel', jobId: '<img src=x onerror=alert(1)>' }), undefined);
    assert.equal(parseToHost({ type: 'cancel', jobId: '../job' }), undefined);
    assert.equal(parseToHost({ type: 'reusePrompt', entryId: 'a'.repeat(65) }), undefined);
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, model: '<script>alert(1)</script>' } }), undefined);
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, model: 'gpt image' } }), undefined);
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, size: '1024x1024; rm -rf /' } }), undefined);
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, quality: '"><b>' } }), undefined);
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, prompt: 'otter\u0000' } }), undefined);
  });

  it('carries HTML in a prompt as plain text, never as markup', () => {
    // A prompt may legitimately mention tags ("a web page with a <table>"); the view only ever sets it as textContent.
    const prompt = '<img src=x onerror="alert(1)"> a page with a <table>';
    const parsed = parseToHost({ type: 'generate', jobId: 'job-2', options: { ...form, prompt } });
    assert.equal(parsed?.type === 'generate' && parsed.options.prompt, prompt);
  });

  it('rejects huge strings', () => {
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, prompt: 'x'.repeat(MAX_PROMPT + 1) } }), undefined);
    assert.ok(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, prompt: 'x'.repeat(MAX_PROMPT) } }));
    assert.equal(parseToHost({ type: 'search', query: 'x'.repeat(501) }), undefined);
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, model: 'm'.repeat(129) } }), undefined);
    assert.equal(parseToHost({ type: 'saveForm', revision: 1, form: { ...form, size: '999999x1' } }), undefined);
  });

  it('refuses reference lists that are empty, too long, or name unsafe files', () => {
    assert.equal(parseToHost({ type: 'dropReferences', uris: [] }), undefined);
    assert.equal(parseToHost({ type: 'dropReferences', uris: Array(17).fill(photo) }), undefined);
    assert.equal(parseToHost({ type: 'dropReferences', uris: [photo, 'file:///home/me/ws/../.ssh/id_rsa'] }), undefined);
    assert.equal(parseToHost({ type: 'dropReferences', uris: ['/etc/passwd'] }), undefined);
    assert.equal(parseToHost({ type: 'dropReferences', uris: photo }), undefined);
    assert.equal(parseToHost({ type: 'removeReference', uri: '../beach.png' }), undefined);
    assert.equal(parseToHost({ type: 'pickReferences', path: '/etc' }), undefined, 'the page never names what to pick');
    const edit = { type: 'edit', jobId: 'job-5', options: form, images: [photo] };
    assert.equal(parseToHost({ ...edit, images: [] }), undefined);
    assert.equal(parseToHost({ ...edit, images: Array(17).fill(photo) }), undefined);
    assert.equal(parseToHost({ ...edit, images: ['file:///home/me/ws/%2e%2e/secret.png'] }), undefined);
    assert.equal(parseToHost({ ...edit, images: [photo], paths: ['/etc/passwd'] }), undefined);
    assert.equal(parseToHost({ ...edit, options: { ...form, extra: 1 } }), undefined);
    assert.equal(parseToHost({ ...edit, jobId: '<b>' }), undefined);
  });

  it('takes a mask only as base64 within the 4 MB mask limit', () => {
    const edit = { type: 'edit', jobId: 'job-6', options: form, images: [photo] };
    assert.equal(MAX_MASK_BASE64, Math.ceil((4 * 1024 * 1024) / 3) * 4);
    assert.ok(parseToHost({ ...edit, mask: 'A'.repeat(MAX_MASK_BASE64) }));
    assert.equal(parseToHost({ ...edit, mask: 'A'.repeat(MAX_MASK_BASE64 + 4) }), undefined, 'over the limit');
    for (const mask of [
      '',
      'abc',
      'data:image/png;base64,iVBORw0KGgo=',
      'iVBOR w0KGgo=',
      'iVBORw0K<b>=',
      'iVBORw0KGgo=A',
      'iV==BORw',
      42,
      {},
    ]) {
      assert.equal(parseToHost({ ...edit, mask }), undefined, JSON.stringify(mask));
    }
  });

  it('describes a refusal without echoing the content', () => {
    const why = describeInvalid({ type: 'open', file: 'file:///secret/../x' });
    assert.match(why, /"open" at file/);
    assert.doesNotMatch(why, /secret/);
    assert.match(describeInvalid(null), /"object"/);
  });
});

describe('messages to the webview', () => {
  it('accepts every valid message', () => {
    const history = {
      entries: [{ id: 'e1', time: 1, prompt: 'p', model: 'm', status: 'succeeded', files: [fileView] }],
      total: 1,
      offset: 0,
      query: '',
    };
    const valid: unknown[] = [
      {
        type: 'init',
        form,
        formRevision: 0,
        models: ['gpt-image-1', 'flux.1/pro'],
        prices: { 'gpt-image-2-origin': { '1K': 0.01 } },
        history,
        jobs: [],
      },
      { type: 'jobProgress', jobId: 'j', message: 'Waiting…', elapsed: 1200 },
      { type: 'jobDone', jobId: 'j', files: [fileView] },
      { type: 'jobFailed', jobId: 'j', message: 'Cancelled.' },
      { type: 'history', ...history },
      { type: 'selection', text: 'a sea otter' },
      { type: 'models', ids: [] },
      { type: 'model', revision: 2, id: 'gpt-image-2-auto' },
      { type: 'form', form, revision: 3 },
      { type: 'deleted', file },
      { type: 'missingFiles', files: [file] },
      { type: 'missingFiles', files: [] },
      { type: 'references', references: [referenceView] },
      { type: 'references', references: [], problem: 'notes.txt is not a PNG, JPEG or WebP image; pick one of those.' },
    ];
    for (const m of valid) assert.deepEqual(parseToWebview(m), m, JSON.stringify(m));
  });

  it('rejects unknown types, extra fields and bad prices', () => {
    assert.equal(parseToWebview({ type: 'eval', code: '1' }), undefined);
    assert.equal(parseToWebview({ type: 'model', revision: 2, id: '<img onerror=x>' }), undefined);
    assert.equal(parseToWebview({ type: 'jobDone', jobId: 'j', files: [{ ...fileView, html: '<b>' }] }), undefined);
    assert.equal(parseToWebview({ type: 'jobDone', jobId: 'j', files: [{ ...fileView, uri: 'file:///a/../b.png' }] }), undefined);
    const init = { type: 'init', form, formRevision: 0, models: [], history: { entries: [], total: 0, offset: 0, query: '' }, jobs: [] };
    assert.equal(parseToWebview({ ...init, prices: { m: { '8K': 1 } } }), undefined);
    assert.equal(parseToWebview({ ...init, prices: { m: { '1K': -1 } } }), undefined);
  });

  it('checks the reference list: at most 16, real sizes, safe URIs, no extra fields', () => {
    const ok = (references: unknown[], extra: object = {}) => parseToWebview({ type: 'references', references, ...extra }) !== undefined;
    assert.ok(ok(Array(16).fill(referenceView)));
    assert.equal(ok(Array(17).fill(referenceView)), false);
    assert.equal(ok([{ ...referenceView, width: 0 }]), false);
    assert.equal(ok([{ ...referenceView, height: 1.5 }]), false);
    assert.equal(ok([{ ...referenceView, uri: 'file:///a/../b.png' }]), false);
    assert.equal(ok([{ ...referenceView, bytes: 'iVBOR' }]), false);
    assert.equal(ok([], { problem: 'x'.repeat(4097) }), false);
    assert.equal(ok([], { problem: 'bad\u0000' }), false);
    assert.equal(ok([], { extra: 1 }), false);
  });

  it('checks every file a missingFiles message names', () => {
    assert.equal(parseToWebview({ type: 'missingFiles', files: [file, 'file:///a/../b.png'] }), undefined);
    assert.equal(parseToWebview({ type: 'missingFiles', files: [file], extra: 1 }), undefined);
    assert.equal(parseToWebview({ type: 'missingFiles', file }), undefined);
    assert.equal(parseToWebview({ type: 'missingFiles', files: Array(PAGE_SIZE * 10 + 1).fill(file) }), undefined);
  });
});

describe('parseUriList', () => {
  it('keeps the URIs of a text/uri-list, without comments, blanks, repeats or unsafe entries', () => {
    const list = ['# dragged from the Explorer', photo, '', `  ${file}  `, photo, 'file:///home/me/../etc/passwd', '/not/a/uri', ''].join(
      '\r\n',
    );
    assert.deepEqual(parseUriList(list), [photo, file]);
    assert.deepEqual(parseUriList(''), []);
  });

  it('keeps at most 16, so the drop message is never refused for its length', () => {
    const many = Array.from({ length: 20 }, (_, i) => `file:///home/me/ws/p${i}.png`).join('\n');
    assert.equal(parseUriList(many).length, 16);
    assert.ok(parseToHost({ type: 'dropReferences', uris: parseUriList(many) }));
  });
});

describe('cleanText', () => {
  it('replaces control characters and cuts to the limit, so stored text always fits', () => {
    assert.equal(cleanText('a\u0000b\u001bc\n\td', 100), 'a b c\n\td');
    assert.equal(cleanText('abcdef', 3), 'abc');
  });
});

describe('iterating on a result', () => {
  const entry = { id: 'e2', time: 2, prompt: 'p', model: 'm', status: 'succeeded', files: [fileView] };
  const page = (entries: unknown[]) => ({ type: 'history', entries, total: entries.length, offset: 0, query: '' });

  it('accepts Refine this and More like this', () => {
    for (const m of [
      { type: 'refine', file },
      { type: 'moreLikeThis', jobId: 'job-1', entryId: '1760000000000-abc123' },
    ]) {
      assert.deepEqual(parseToHost(m), m);
    }
  });

  it('refuses forged ones: unsafe files, ids with markup or paths, extra or missing fields', () => {
    const refused: unknown[] = [
      { type: 'refine', file: 'file:///home/me/ws/../.ssh/id_rsa' },
      { type: 'refine', file: '/home/me/ws/a.png' },
      { type: 'refine', file, prompt: 'x' },
      { type: 'refine', uri: file },
      { type: 'moreLikeThis', jobId: 'job-1' },
      { type: 'moreLikeThis', jobId: 'job-1', entryId: '../history' },
      { type: 'moreLikeThis', jobId: '<b>', entryId: 'e1' },
      { type: 'moreLikeThis', jobId: 'job-1', entryId: 'e1', options: form },
      { type: 'moreLikeThis', jobId: 'job-1', entryId: 'e1', images: [photo] },
    ];
    for (const m of refused) assert.equal(parseToHost(m), undefined, JSON.stringify(m));
  });

  it('shows an edit with its sources and the entry it refined', () => {
    const edit = { ...entry, edit: { sources: ['beach.png', 'sky.png'], mask: true }, parent: { id: 'e1', prompt: 'a sea otter' } };
    assert.deepEqual(parseToWebview(page([edit])), page([edit]));
    assert.deepEqual(parseToWebview(page([entry])), page([entry]), 'a generation has neither');
  });

  it('refuses lineage that is not plain, short text', () => {
    const bad: unknown[] = [
      { ...entry, parent: { id: '<img src=x>', prompt: 'p' } },
      { ...entry, parent: { id: 'e1', prompt: 'x'.repeat(MAX_PARENT_PROMPT + 1) } },
      { ...entry, parent: { id: 'e1', prompt: 'p', files: [] } },
      { ...entry, edit: { sources: Array(17).fill('a.png'), mask: false } },
      { ...entry, edit: { sources: ['a\u0007.png'], mask: false } },
      { ...entry, edit: { sources: [] } },
      { ...entry, kind: 'edit' },
    ];
    for (const e of bad) assert.equal(parseToWebview(page([e])), undefined, JSON.stringify(e));
  });
});

describe('compare and the card actions', () => {
  const other = 'file:///home/me/ws/images/otter-edited.png';
  const side = (label: string) => ({ file: fileView, label });
  const compare = { before: side('Before'), after: side('After') };

  it('accepts Show Generation Info, Compare with parent and Compare of two files', () => {
    for (const m of [
      { type: 'showInfo', file },
      { type: 'compareParent', file },
      { type: 'compare', files: [file, other] },
    ]) {
      assert.deepEqual(parseToHost(m), m);
    }
  });

  it('refuses forged ones: unsafe files, not exactly two different files, extra fields', () => {
    const refused: unknown[] = [
      { type: 'showInfo', file: '/etc/passwd' },
      { type: 'showInfo', file: 'file:///home/me/ws/../../etc/passwd' },
      { type: 'showInfo', file, entryId: 'e1' },
      { type: 'compareParent', file: 'file:///home/me/ws/%2e%2e/secret.png' },
      { type: 'compareParent', file, parent: other },
      { type: 'compare', files: [file] },
      { type: 'compare', files: [file, other, photo] },
      { type: 'compare', files: [file, file] },
      { type: 'compare', files: [file, '../a.png'] },
      { type: 'compare', files: [file, other], labels: ['a', 'b'] },
      { type: 'compare', file },
    ];
    for (const m of refused) assert.equal(parseToHost(m), undefined, JSON.stringify(m));
  });

  it('shows a comparison to the page and the panel, with short plain labels', () => {
    const toPage = { type: 'compare', compare };
    assert.deepEqual(parseToWebview(toPage), toPage);
    const toPanel = { type: 'compare', compare, caption: 'a.png and a-edited.png', sliderLabel: 'Divider' };
    assert.deepEqual(parseToPreview(toPanel), toPanel);
    const bad: unknown[] = [
      { type: 'compare', compare: { ...compare, after: side('x'.repeat(MAX_COMPARE_LABEL + 1)) } },
      { type: 'compare', compare: { ...compare, before: side('a\u0000b') } },
      { type: 'compare', compare: { ...compare, before: { ...side('a'), html: '<b>' } } },
      { type: 'compare', compare: { before: side('a') } },
      { type: 'compare', compare: { ...compare, after: side('b'), extra: 1 } },
      { type: 'compare', compare: { ...compare, after: { file: { ...fileView, uri: '/etc/passwd' }, label: 'b' } } },
    ];
    for (const m of bad) assert.equal(parseToWebview(m), undefined, JSON.stringify(m));
    assert.equal(parseToPreview({ ...toPanel, sliderLabel: 'x'.repeat(201) }), undefined);
    assert.equal(parseToPreview({ type: 'compare', compare }), undefined, 'the panel needs its words');
  });

  it('a finished job names the entry it saved, with nothing but its id and whether it has a parent', () => {
    const done = { type: 'jobDone', jobId: 'j', files: [fileView], entry: { id: '1760000000000-abc123', parent: true } };
    assert.deepEqual(parseToWebview(done), done);
    for (const entry of [
      { id: '../x', parent: false },
      { id: 'e1' },
      { id: 'e1', parent: true, prompt: 'p' },
      { id: 'e1', parent: 'yes' },
    ]) {
      assert.equal(parseToWebview({ ...done, entry }), undefined, JSON.stringify(entry));
    }
  });
});

describe('which saved form a reloaded page starts from', () => {
  const host = { form: { ...form, prompt: 'the host copy' }, revision: 4 };
  const page = (prompt: string, revision: unknown) => ({ form: { ...form, prompt }, revision });

  it("the page's own copy when it is at least as new: a change typed just before the reload", () => {
    assert.deepEqual(newerForm(page('typed last', 5), host), { form: { ...form, prompt: 'typed last' }, revision: 5, fromPage: true });
    assert.equal(newerForm(page('same change', 4), host).fromPage, true);
  });

  it("the host's when the page's copy is older (saved seconds before), missing, or not a form", () => {
    for (const stale of [page('older', 3), {}, page('no revision', undefined), { form: { ...form, n: 0 }, revision: 9 }]) {
      assert.deepEqual(newerForm(stale, host), { ...host, fromPage: false }, JSON.stringify(stale));
    }
  });

  it('takes only whole, safe revision counts', () => {
    for (const revision of [-1, 1.5, Number.MAX_SAFE_INTEGER + 2, '9', Infinity]) {
      assert.equal(newerForm(page('x', revision), host).fromPage, false, String(revision));
      assert.equal(parseToHost({ type: 'saveForm', form, revision }), undefined, String(revision));
    }
    assert.equal(parseToHost({ type: 'saveForm', form }), undefined, 'a save without its revision');
  });
});
