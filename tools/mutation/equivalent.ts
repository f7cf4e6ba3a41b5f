// Mutants that cannot change what the code does, found by reading them: they are left out of the sample, since no
// test could kill them. Each is matched by its file, a piece of its line's text and (optionally) the replacement,
// so the list survives edits elsewhere in the file; a rule that matches nothing any more is reported by the runner.
import type { Mutant } from './mutants';

export interface Equivalent {
  file: string;
  /** Text the mutated line contains. */
  line: string;
  /** Only this replacement; every mutant of the line when absent. */
  replacement?: string;
  why: string;
}

export const EQUIVALENT: readonly Equivalent[] = [
  {
    file: 'src/core/images.ts',
    line: '(marker >= 0xd0 && marker <= 0xd7)',
    replacement: '216',
    why: 'widening the RST range to 0xd8 adds a marker the same condition already takes (`marker === 0xd8`)',
  },
  {
    file: 'src/core/links.ts',
    line: 'if (flat.length <= max) return flat;',
    replacement: '<',
    why: 'a fast path: at length == max the grapheme count below is at most max too, and returns `flat` as well',
  },
  {
    file: 'src/core/images.ts',
    line: 'if (buf.length < 4 ||',
    replacement: '<=',
    why: 'with exactly 4 bytes the marker loop below (`i + 3 < buf.length` from i = 2) does not run either: undefined both ways',
  },
  {
    file: 'src/core/links.ts',
    line: 'const kept = (space > 0 ? head.slice(0, space) : head)',
    replacement: '>=',
    why: '`space` is never 0: oneLine() trims the text, so the first grapheme is never a space',
  },
  {
    file: 'src/core/naming.ts',
    line: "return cut.replace(/-+$/, '');",
    why: "slugify() collapses and trims dashes before the cut, and the cut stops before a dash: the cut never ends in '-'",
  },
  {
    file: 'src/core/response.ts',
    line: 'this.started ||= end > from;',
    replacement: '>=',
    why: 'decode() only sees end == from when the closing quote is at `from`: the value ends, and `started` is reset when the next one opens',
  },
  ...['src/core/client.ts', 'src/core/tasks.ts'].map((file) => ({
    file,
    line: 'status >= 200 && status < 300 ? (reader = new ImagesAnswerReader())',
    why:
      'chooses only whether base64 is decoded while the answer streams in or after it has arrived (reader.take() ' +
      'falls back to decodeBase64): the same images and errors either way; the memory it saves is measured by npm run bench',
  })),
];

export function equivalentRule(m: Mutant, lineText: string): Equivalent | undefined {
  return EQUIVALENT.find(
    (e) => e.file === m.file && lineText.includes(e.line) && (e.replacement === undefined || e.replacement === m.replacement),
  );
}
