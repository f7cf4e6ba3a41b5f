import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const LOCALES = ['zh-cn'];

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(ROOT, dir, f));
}

/** Every message passed to vscode.l10n.t as a literal: the keys of the runtime bundles. */
export function messages(): Set<string> {
  const found = new Set<string>();
  const literal = /l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\$]|\\.)*)`)/g;
  for (const file of sources('src')) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(literal)) {
      const raw = m[1] ?? m[2] ?? m[3] ?? '';
      found.add(raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)));
    }
  }
  return found;
}

const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

for (const locale of LOCALES) {
  test(`every runtime message has a ${locale} translation with the same placeholders`, () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', `bundle.l10n.${locale}.json`), 'utf8')) as Record<string, string>;
    const used = messages();
    assert.ok(used.size > 20, `found ${used.size} messages`);
    const missing = [...used].filter((m) => !(m in bundle));
    assert.deepEqual(missing, [], 'untranslated messages');
    const stale = Object.keys(bundle).filter((k) => !used.has(k));
    assert.deepEqual(stale, [], 'translations of messages no longer used');
    for (const [en, tr] of Object.entries(bundle)) assert.deepEqual(placeholders(tr), placeholders(en), `placeholders of "${en}"`);
  });

  test(`package.nls.${locale}.json translates every manifest string`, () => {
    const en = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const tr = JSON.parse(fs.readFileSync(path.join(ROOT, `package.nls.${locale}.json`), 'utf8')) as Record<string, string>;
    assert.deepEqual(Object.keys(tr).sort(), Object.keys(en).sort());
    for (const k of Object.keys(en)) assert.ok(tr[k]!.trim(), k);
  });
}
