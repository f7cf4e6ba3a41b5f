// Finds mutation sites in a TypeScript source with the compiler's own parser, so comments, strings,
// imports and types are never touched: only expressions that run.
import ts from 'typescript';

export type Operator = 'boundary' | 'equality' | 'logical' | 'condition' | 'negation' | 'sanitizer' | 'method' | 'number';

export interface Mutant {
  file: string;
  /** 1-based line of the changed text. */
  line: number;
  start: number;
  end: number;
  operator: Operator;
  original: string;
  replacement: string;
}

const SWAPS: Partial<Record<ts.SyntaxKind, [Operator, string]>> = {
  [ts.SyntaxKind.LessThanToken]: ['boundary', '<='],
  [ts.SyntaxKind.LessThanEqualsToken]: ['boundary', '<'],
  [ts.SyntaxKind.GreaterThanToken]: ['boundary', '>='],
  [ts.SyntaxKind.GreaterThanEqualsToken]: ['boundary', '>'],
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: ['equality', '!=='],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: ['equality', '==='],
  [ts.SyntaxKind.EqualsEqualsToken]: ['equality', '!='],
  [ts.SyntaxKind.ExclamationEqualsToken]: ['equality', '=='],
  [ts.SyntaxKind.AmpersandAmpersandToken]: ['logical', '||'],
  [ts.SyntaxKind.BarBarToken]: ['logical', '&&'],
};

/** Calls that clean their first argument: removing one leaves the raw value (a leak, an unbounded line). */
const SANITIZERS = new Set(['redact', 'redactDeep', 'oneLine', 'encodeURIComponent']);
/** Methods whose removal leaves the receiver unchanged: `.replace(…)` scrubbing a URL, `.trim()`. */
const METHODS = new Set(['replace', 'replaceAll', 'trim']);

/** Inside a type, an import or an export list: nothing there runs. */
function isTypeOnly(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isTypeNode(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return true;
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) return true;
  }
  return false;
}

export function findMutants(file: string, source: string): Mutant[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: Mutant[] = [];
  const add = (from: ts.Node | { getStart(): number; end: number }, operator: Operator, replacement: string) => {
    const start = from.getStart();
    const original = source.slice(start, from.end);
    if (original === replacement) return;
    out.push({ file, line: sf.getLineAndCharacterOfPosition(start).line + 1, start, end: from.end, operator, original, replacement });
  };
  const visit = (node: ts.Node): void => {
    if (isTypeOnly(node)) return;
    if (ts.isBinaryExpression(node)) {
      const swap = SWAPS[node.operatorToken.kind];
      if (swap) add(node.operatorToken, swap[0], swap[1]);
    } else if (ts.isIfStatement(node)) {
      add(node.expression, 'condition', 'false');
    } else if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      add(node, 'negation', `(${node.operand.getText()})`);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression;
      if (ts.isIdentifier(callee) && SANITIZERS.has(callee.text)) add(node, 'sanitizer', `(${node.arguments[0]!.getText()})`);
    } else if (ts.isNumericLiteral(node) && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node)) {
      // One mutant per literal (+1, as PIT does): with ±1 the many byte offsets and limits would swamp the sample.
      add(node, 'number', String(Number(node.text) + 1));
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && METHODS.has(node.expression.name.text)) {
      add(node, 'method', `(${node.expression.expression.getText()})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out.sort((a, b) => a.start - b.start || a.replacement.localeCompare(b.replacement));
}

export function applyMutant(source: string, m: Mutant): string {
  return source.slice(0, m.start) + m.replacement + source.slice(m.end);
}

/** A short, readable description: `a < b` style fragments are too long, so just the change itself. */
export function describe(m: Mutant): string {
  const short = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s).replace(/\s+/g, ' ');
  return `${m.operator}: ${short(m.original)} -> ${short(m.replacement)}`;
}

/** mulberry32: a small seeded generator, so a sample can be drawn again. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` mutants drawn without replacement (a seeded Fisher–Yates), in file and line order. */
export function sample<T extends Mutant>(all: readonly T[], size: number, seed: number): T[] {
  const pool = [...all];
  const random = seeded(seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, Math.min(size, pool.length)).sort((a, b) => a.file.localeCompare(b.file) || a.start - b.start);
}
