import assert from 'node:assert/strict';
import { test } from 'node:test';
import { message } from '../../src/core/messages';
import { abortError, errorFromResponse, firstTextLine, ImageApiError, parseServerError } from '../../src/core/errors';

const KEY = 'sk-test-0123456789abcdefghij';

function fromStatus(status: number, body: unknown, model = 'gpt-image-2-origin'): ImageApiError {
  return errorFromResponse({ status, body: typeof body === 'string' ? body : JSON.stringify(body), model, secrets: [KEY] });
}

const openAi = (message: string, code?: string | number, type = 'invalid_request_error', param?: string) => ({
  error: { message, type, code, param },
});

test('kinds follow the status', () => {
  const kinds = [400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 524].map((s) => [s, fromStatus(s, openAi('x')).kind]);
  assert.deepEqual(Object.fromEntries(kinds), {
    400: 'badRequest',
    401: 'authentication',
    403: 'permission',
    404: 'notFound',
    408: 'timeout',
    413: 'tooLarge',
    422: 'badRequest',
    429: 'rateLimit',
    500: 'server',
    502: 'server',
    503: 'server',
    504: 'timeout',
    524: 'timeout',
  });
});

test('safety rejections get their own wording and are not retriable', () => {
  const e = fromStatus(400, openAi('Your request was rejected by the safety system.', 'moderation_blocked', 'image_generation_user_error'));
  assert.match(e.userMessage, /safety system refused this request \(moderation_blocked: Your request was rejected/);
  assert.match(e.userMessage, /Rephrase the prompt/);
  assert.equal(e.code, 'moderation_blocked');
  assert.equal(e.retriable, false);
});

test('model_not_found names the model; numeric codes are kept as text', () => {
  const e = fromStatus(404, openAi('The model `x` does not exist', 'model_not_found'), 'my-model');
  assert.match(e.userMessage, /Model "my-model" is not available for this key/);
  assert.equal(fromStatus(400, openAi('bad', 1210)).code, '1210');
});

test('a model the key cannot use is named, with the fix, whatever status and wording the gateway uses', () => {
  const denied: [number, unknown][] = [
    [403, openAi('You are not allowed to use this model.', 'model_not_permitted')],
    [403, openAi('Your organization must be verified to use the model `gpt-image-1`.')],
    [404, openAi('The model `gpt-image-1` does not exist or you do not have access to it.', 'model_not_found')],
    [400, openAi('You do not have access to model gpt-image-1', 'model_not_found')],
    [400, openAi('This key is not allowed to use model gpt-image-1.')],
    [403, { error: { message: '该令牌无权访问模型 gpt-image-1', type: 'new_api_error' } }],
    // one-api and new-api: no channel serves the model for the key's group, said with 503.
    [503, { error: { message: '当前分组 default 下对于模型 gpt-image-1 无可用渠道 (request id: 2026050312)', type: 'one_api_error' } }],
    [503, openAi('No available channel for model gpt-image-1 under group default', 'model_not_found', 'new_api_error')],
  ];
  for (const [status, body] of denied) {
    const e = fromStatus(status, body, 'gpt-image-1');
    const said = `${status} ${JSON.stringify(body)} -> ${e.userMessage}`;
    assert.match(e.userMessage, new RegExp(`^Model "gpt-image-1" is not available for this key \\(HTTP ${status}`), said);
    assert.match(e.userMessage, /Pick another model with "GPT Image: Choose Model", or ask the provider/, said);
    assert.equal(e.retriable, false, said);
    assert.equal(e.kind, status === 404 ? 'notFound' : 'permission', said);
  }
  assert.match(
    fromStatus(503, denied[6]![1], 'gpt-image-1').userMessage,
    /当前分组 default 下对于模型 gpt-image-1 无可用渠道/,
    "the gateway's own words are kept",
  );
});

test('other refusals keep their own wording, and a model list request is never blamed on a model', () => {
  assert.match(fromStatus(403, openAi('Forbidden')).userMessage, /^The key may not do this \(HTTP 403/);
  assert.match(fromStatus(400, openAi("Invalid value: 'x'.", 'invalid_value', undefined, 'size')).userMessage, /rejected the request/);
  const busy = fromStatus(503, openAi('Service temporarily unavailable'));
  assert.equal(busy.kind, 'server');
  assert.equal(busy.retriable, true);
  // listModels passes no model: a 404 mentioning models is a missing endpoint, a 503 a server error.
  assert.match(fromStatus(404, openAi('models route not found'), '').userMessage, /^The gateway has no such endpoint/);
  assert.equal(fromStatus(503, openAi('no available channel for model x', 'model_not_found'), '').kind, 'server');
});

test('only a 404 that mentions a model, or a denial, is blamed on the model', () => {
  const model = 'gpt-image-1';
  assert.match(fromStatus(404, openAi('route /v1/images/x not found'), model).userMessage, /^The gateway has no such endpoint/);
  assert.equal(fromStatus(500, openAi('model server crashed'), model).kind, 'server');
  assert.match(fromStatus(400, openAi('model parameter has an invalid value')).userMessage, /^The gateway rejected the request/);
});

test('429 insufficient_quota is not retried; plain 429 is', () => {
  assert.equal(fromStatus(429, openAi('You exceeded your current quota', 'insufficient_quota')).retriable, false);
  assert.equal(fromStatus(429, openAi('Slow down', 'rate_limit_exceeded')).retriable, true);
});

test('HTML error pages give the status and their first line of text', () => {
  const nginx =
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>';
  const e = fromStatus(502, nginx);
  assert.equal(e.serverMessage, '502 Bad Gateway');
  assert.match(e.userMessage, /HTTP 502: 502 Bad Gateway/);
  const cf = fromStatus(524, '<!DOCTYPE html><html><head><title>api.example.com | 524: A timeout occurred</title></head></html>');
  assert.match(cf.userMessage, /timed out .*524.*smaller size or lower quality/);
  assert.equal(firstTextLine('\n\n  upstream request timeout\nmore'), 'upstream request timeout');
});

test('the key is redacted from everything the server said', () => {
  const e = fromStatus(401, openAi(`Invalid token: Bearer ${KEY} (key ${KEY})`, 'invalid_api_key'));
  for (const text of [e.userMessage, e.message, e.serverMessage ?? '']) assert.ok(!text.includes(KEY), text);
  assert.match(e.serverMessage ?? '', /REDACTED/);
});

test('the key is redacted from every field the server sent: code, param, error string and error page', () => {
  // Not sk- shaped, so only the secrets passed in can redact it.
  const secret = 'gateway-secret-5a1f9e';
  const from = (status: number, body: unknown) =>
    errorFromResponse({ status, body: typeof body === 'string' ? body : JSON.stringify(body), model: 'm', secrets: [secret] });
  const cases: [string, ImageApiError][] = [
    ['code', from(401, openAi('refused', `bad_key_${secret}`))],
    ['code of a top-level message', from(401, { message: 'refused', code: secret })],
    ['safety code', from(400, { error: { message: `refused for ${secret}`, code: 'moderation_blocked' } })],
    ['param', from(400, openAi('bad value', 'invalid_value', 'invalid_request_error', `size ${secret}`))],
    ['plain error string', from(500, { error: `upstream said ${secret}` })],
    ['HTML page', from(502, `<html><head><title>502 ${secret}</title></head></html>`)],
    ['plain text', from(400, `refused key ${secret}`)],
  ];
  for (const [what, e] of cases) {
    const fields = [e.userMessage, e.message, e.serverMessage ?? '', e.code ?? ''];
    for (const text of fields) assert.ok(!text.includes(secret), `${what}: ${text}`);
    assert.match(fields.join(' '), /\[REDACTED\]/, what);
  }
  assert.equal(cases[0]![1].code, 'bad_key_[REDACTED]');
});

test('parseServerError reads the usual shapes', () => {
  assert.deepEqual(parseServerError('{"error":{"message":"m","type":"t","code":"c","param":"size"}}'), {
    message: 'm',
    type: 't',
    code: 'c',
    param: 'size',
  });
  assert.deepEqual(parseServerError('{"error":"plain"}'), { message: 'plain' });
  assert.deepEqual(parseServerError('{"message":"top","code":5}'), { message: 'top', code: '5', type: undefined });
  assert.equal(parseServerError('<html>'), undefined);
});

test('a long server message is kept whole in serverMessage and cut in the one-line message', () => {
  const long = `${'word '.repeat(80)}end`;
  const e = fromStatus(400, openAi(long));
  assert.equal(e.serverMessage, long);
  const detail = /HTTP 400: (.*)\)\. Adjust it/.exec(e.userMessage)?.[1] ?? '';
  assert.equal(detail.length, 200, e.userMessage);
  assert.ok(detail.endsWith('…'));
});

test('a timeout names the time in seconds', () => {
  assert.match(abortError('timeout', 'gateway', 300_000).userMessage, /^No complete answer from the gateway within 300 s;/);
  assert.match(abortError('timeout', 'imageServer', 1500).userMessage, /within 1\.5 s;/);
  assert.equal(abortError('cancelled', 'gateway', 1000).kind, 'cancelled');
});

test('annotate keeps one line', () => {
  const e = fromStatus(500, openAi('boom')).annotate(message('gaveUp', { retries: 2 }));
  assert.match(e.userMessage, /Try again later \(gave up after 2 retries\)\.$/);
  assert.equal(e.message, e.userMessage);
  assert.ok(!e.userMessage.includes('\n'));
});
