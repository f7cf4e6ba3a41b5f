import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, redact, redactDeep } from '../../src/core/redact';

const KEY = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

describe('redact', () => {
  it('replaces every occurrence of each known secret', () => {
    assert.equal(redact('key=abcd1234, again abcd1234.', ['abcd1234']), `key=${REDACTED}, again ${REDACTED}.`);
    assert.equal(redact('a gw-secret b other-one', ['gw-secret', 'other-one']), `a ${REDACTED} b ${REDACTED}`);
  });

  it('ignores empty and short secrets', () => {
    assert.equal(redact('the cat sat', ['', 'a', 'cat']), 'the cat sat');
    assert.equal(redact('code 1234 here', ['1234']), `code ${REDACTED} here`);
  });

  it('removes the longer of overlapping secrets whole', () => {
    assert.equal(redact('token=abcdef123456', ['abcd', 'abcdef123456']), `token=${REDACTED}`);
  });

  it('treats secrets literally, not as patterns', () => {
    assert.equal(redact('x a.b*c+d y axbbbcd', ['a.b*c+d']), `x ${REDACTED} y axbbbcd`);
    assert.equal(redact('cost $& $1', ['$& $1']), `cost ${REDACTED}`);
  });

  it('redacts bearer tokens without a known secret', () => {
    assert.equal(redact('Authorization: Bearer eyJhbGciOi.abc-def_ghi~jk/l+m==', []), `Authorization: Bearer ${REDACTED}`);
    assert.equal(redact('authorization: bearer abcdefgh12345678', []), `authorization: bearer ${REDACTED}`);
    assert.equal(redact('a bearer token is missing', []), 'a bearer token is missing');
  });

  it('redacts sk- keys', () => {
    assert.equal(redact(`key ${KEY} end`, []), `key ${REDACTED} end`);
    assert.equal(redact('"sk-abcdefghijklmnopqrstuvwx"', []), `"${REDACTED}"`);
    assert.equal(redact('uses sk-learn and task-abcdefghijklmnopqrstu', []), 'uses sk-learn and task-abcdefghijklmnopqrstu');
  });

  it('redacts api-key headers and assignments', () => {
    assert.equal(redact('api-key: 0123456789abcdef', []), `api-key: ${REDACTED}`);
    assert.equal(redact('{"x-api-key":"0123456789abcdef"}', []), `{"x-api-key":"${REDACTED}"}`);
    assert.equal(redact('OPENAI_API_KEY=abcdefgh12345678', []), `OPENAI_API_KEY=${REDACTED}`);
    assert.equal(redact('Authorization: Basic dXNlcjpwYXNzd29yZA==', []), `Authorization: Basic ${REDACTED}`);
    assert.equal(redact('Basic settings are fine', []), 'Basic settings are fine');
  });

  it('leaves ordinary text alone', () => {
    const text = 'POST /v1/images/generations 200 in 12.3s, size=1024x1024, n=2';
    assert.equal(redact(text, ['zzzz-not-present']), text);
  });

  it('is idempotent', () => {
    const once = redact(`Bearer ${KEY} and ${KEY} and gw-secret`, ['gw-secret']);
    assert.equal(redact(once, ['gw-secret']), once);
    assert.ok(!once.includes(KEY) && !once.includes('gw-secret'));
  });
});

describe('redactDeep', () => {
  it('redacts strings in nested objects and arrays without mutating them', () => {
    const input = { url: 'https://gw/v1?key=gw-secret', nested: { list: ['ok', 'gw-secret', 3, null, true] } };
    const copy = structuredClone(input);
    assert.deepEqual(redactDeep(input, ['gw-secret']), {
      url: `https://gw/v1?key=${REDACTED}`,
      nested: { list: ['ok', REDACTED, 3, null, true] },
    });
    assert.deepEqual(input, copy);
  });

  it('replaces string values under credential keys outright', () => {
    const out = redactDeep(
      {
        headers: { Authorization: 'Basic x', 'api-key': 'short', 'Content-Type': 'application/json' },
        password: 'p',
        token: 't',
        usage: { input_tokens: 10, total_tokens: 20 },
      },
      [],
    );
    assert.deepEqual(out, {
      headers: { Authorization: REDACTED, 'api-key': REDACTED, 'Content-Type': 'application/json' },
      password: REDACTED,
      token: REDACTED,
      usage: { input_tokens: 10, total_tokens: 20 },
    });
  });

  it('handles cycles and shared references', () => {
    const shared = { s: 'gw-secret' };
    const a: Record<string, unknown> = { one: shared, two: shared };
    a.self = a;
    assert.deepEqual(redactDeep(a, ['gw-secret']), { one: { s: REDACTED }, two: { s: REDACTED }, self: '[Circular]' });
  });

  it('flattens errors to safe fields', () => {
    const cause = new Error(`inner ${KEY}`);
    const err = Object.assign(new Error('failed with gw-secret', { cause }), {
      code: 'E_HTTP',
      status: 401,
      config: { headers: { Authorization: `Bearer ${KEY}` } },
    });
    const out = redactDeep(err, ['gw-secret']) as Record<string, unknown>;
    assert.equal(out.name, 'Error');
    assert.equal(out.message, `failed with ${REDACTED}`);
    assert.equal(out.code, 'E_HTTP');
    assert.equal(out.status, 401);
    assert.equal((out.cause as Record<string, unknown>).message, `inner ${REDACTED}`);
    assert.ok(!('config' in out));
    assert.ok(!JSON.stringify(out).includes('gw-secret') && !JSON.stringify(out).includes(KEY));
  });

  it('summarises class instances, dates and functions', () => {
    class Agent {
      secret = 'gw-secret';
    }
    assert.deepEqual(
      redactDeep({ agent: new Agent(), bytes: new Uint8Array(3), when: new Date(Date.UTC(2026, 0, 1)), fn: () => 1, map: new Map() }, []),
      { agent: '[object Agent]', bytes: '[object Uint8Array]', when: '2026-01-01T00:00:00.000Z', fn: '[Function]', map: '[object Map]' },
    );
  });

  it('passes primitives through', () => {
    assert.equal(redactDeep('gw-secret', ['gw-secret']), REDACTED);
    assert.equal(redactDeep(42, []), 42);
    assert.equal(redactDeep(undefined, []), undefined);
    assert.equal(redactDeep(null, []), null);
    assert.deepEqual(redactDeep(Object.create(null), []), {});
  });
});
