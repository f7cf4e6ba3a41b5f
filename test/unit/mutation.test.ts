// The mutation runner's site finder: only code that runs is changed, and a sample can be drawn again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyMutant, findMutants, sample } from '../../tools/mutation/mutants';

const SOURCE = `import { redact } from './redact';
// if (a < b) in a comment
type Limit = 1 | 2;
interface Box { size: 3 }
export function f(a: number, b: string, key: string): string {
  const text = 'a < b && c';
  if (a < 4 && b !== '') return redact(b.replace(/x/g, ''), [key]);
  return !b ? \`\${a >= 5}\` : b;
}
`;

test('mutation sites: operators, conditions, sanitizers, methods and numbers of code that runs, nothing else', () => {
  const found = findMutants('f.ts', SOURCE).map((m) => `${m.line} ${m.operator} ${m.original} -> ${m.replacement}`);
  assert.deepEqual(found, [
    "7 condition a < 4 && b !== '' -> false",
    '7 boundary < -> <=',
    '7 number 4 -> 5',
    '7 logical && -> ||',
    '7 equality !== -> ===',
    "7 sanitizer redact(b.replace(/x/g, ''), [key]) -> (b.replace(/x/g, ''))",
    "7 method b.replace(/x/g, '') -> (b)",
    '8 negation !b -> (b)',
    '8 boundary >= -> >',
    '8 number 5 -> 6',
  ]);
});

test('a mutant changes only its own text, and parenthesises what it puts in place of a call', () => {
  const [sanitizer] = findMutants('f.ts', SOURCE).filter((m) => m.operator === 'sanitizer');
  const mutated = applyMutant(SOURCE, sanitizer!);
  assert.equal(mutated.replace("(b.replace(/x/g, ''))", "redact(b.replace(/x/g, ''), [key])"), SOURCE);
});

test('a sample is drawn again from the same seed, and differs for another', () => {
  const all = findMutants('f.ts', SOURCE);
  assert.deepEqual(sample(all, 4, 1), sample(all, 4, 1));
  assert.notDeepEqual(sample(all, 4, 1), sample(all, 4, 2));
  assert.equal(sample(all, 99, 1).length, all.length);
});
