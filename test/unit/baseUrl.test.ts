import assert from 'node:assert/strict';
import { test } from 'node:test';
import { englishMessage } from '../../src/core/messages';
import { endpoint, normalizeBaseUrl } from '../../src/core/baseUrl';

function ok(input: string): { origin: string; apiRoot: string } {
  const r = normalizeBaseUrl(input);
  assert.ok(r.ok, `${input}: ${!r.ok && englishMessage(r.error)}`);
  return { origin: r.origin, apiRoot: r.apiRoot };
}

function refused(input: string): string {
  const r = normalizeBaseUrl(input);
  assert.equal(r.ok, false, `${input} should be refused`);
  assert.ok(!r.ok);
  return englishMessage(r.error);
}

test('host, trailing slash, /v1 and /v1/ are the same gateway', () => {
  for (const input of [
    'https://api.example.com',
    'https://api.example.com/',
    'https://api.example.com/v1',
    'https://api.example.com/v1/',
    '  https://API.example.com/v1//  ',
  ]) {
    assert.deepEqual(ok(input), { origin: 'https://api.example.com', apiRoot: 'https://api.example.com/v1' }, input);
  }
});

test('path prefixes and ports are kept', () => {
  assert.deepEqual(ok('https://host.example/proxy/v1'), { origin: 'https://host.example', apiRoot: 'https://host.example/proxy/v1' });
  assert.deepEqual(ok('https://host.example/proxy/'), { origin: 'https://host.example', apiRoot: 'https://host.example/proxy/v1' });
  assert.equal(ok('https://host.example:8443').apiRoot, 'https://host.example:8443/v1');
});

test('plain http is allowed only to loopback', () => {
  assert.equal(ok('http://127.0.0.1:8790/v1').apiRoot, 'http://127.0.0.1:8790/v1');
  assert.equal(ok('http://127.5.6.7').apiRoot, 'http://127.5.6.7/v1');
  assert.equal(ok('http://localhost:3000/').apiRoot, 'http://localhost:3000/v1');
  assert.equal(ok('http://[::1]:8080').apiRoot, 'http://[::1]:8080/v1');
  assert.match(refused('http://api.example.com'), /https:\/\//);
  assert.match(refused('http://128.0.0.1'), /unencrypted/);
  assert.match(refused('http://localhost.evil.com'), /unencrypted/);
});

test('other schemes, non-URLs, credentials and queries are refused with the fix', () => {
  assert.match(refused('ftp://files.example.com'), /ftp: URLs are not supported; use an https:\/\//);
  assert.match(refused('file:///etc/passwd'), /file:/);
  assert.match(refused('api.example.com'), /Add the scheme: https:\/\/api\.example\.com/);
  assert.match(refused('localhost:8080'), /Add the scheme/);
  assert.match(refused('not a url at all'), /not a full URL/);
  assert.match(refused(''), /Enter the gateway's base URL/);
  assert.match(refused('https://user:secret@api.example.com'), /Remove the user name and password/);
  assert.ok(!refused('https://user:secret@api.example.com').includes('secret'));
  // Either one alone would still travel in the URL.
  assert.match(refused('https://user@api.example.com'), /Remove the user name and password/);
  assert.match(refused('https://:secret@api.example.com'), /Remove the user name and password/);
  assert.ok(!refused('https://:secret@api.example.com').includes('secret'));
  assert.match(refused('https://api.example.com/v1?key=abc'), /Remove the query/);
});

test('endpoint joins the API root and a path', () => {
  assert.equal(endpoint('https://h/v1', 'images/generations'), 'https://h/v1/images/generations');
  assert.equal(endpoint('https://h/v1/', '/models'), 'https://h/v1/models');
});
