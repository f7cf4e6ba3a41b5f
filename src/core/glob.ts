// Glob → RegExp for matching POSIX paths, close to picomatch with `dot: true`
// (what VS Code's markdown extension uses for `markdown.copyFiles.destination` keys).
// Supports `*`, `**`, `?`, `[...]`/`[^...]`, `{a,b}` (nestable) and `\` escapes;
// no extglobs, `!` negation or `{1..3}` ranges: '(', ')', '+', '@', '!' are literal. Case-sensitive.

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;
const lit = (s: string) => s.replace(REGEX_SPECIAL, '\\$&');

export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${translate(glob)}$`);
}

/** Index of the '}' closing the '{' at `open`, or -1. */
function closingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Splits a brace body on its top-level commas. */
function alternatives(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function translate(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      out += lit(glob[i + 1] ?? '\\');
      i++;
    } else if (c === '*') {
      let j = i;
      while (glob[j + 1] === '*') j++;
      const segmentStart = i === 0 || glob[i - 1] === '/';
      const segmentEnd = j + 1 === glob.length || glob[j + 1] === '/';
      if (j > i && segmentStart && segmentEnd) {
        // `**` as a whole segment: any number of segments, including none.
        if (glob[j + 1] === '/') {
          out += '(?:[^/]*/)*';
          j++;
          // `**/**/` is `**/`; repeating the group would make matching polynomial.
          while (glob.startsWith('**/', j + 1)) j += 3;
        } else if (i === 0) {
          out += '.*';
        } else {
          // Trailing `/**` also matches the folder itself.
          out = out.slice(0, -2) + '(?:/.*)?';
        }
      } else {
        out += '[^/]*';
      }
      i = j;
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, end);
      // Only '^' negates: picomatch, unlike bash, reads '[!...]' as a class containing '!'.
      const negate = body[0] === '^';
      if (negate) body = body.slice(1);
      const escaped = body.replace(/[\\\]^]/g, '\\$&');
      out += negate ? `(?!/)[^${escaped}]` : `[${escaped}]`;
      i = end;
    } else if (c === '{') {
      const end = closingBrace(glob, i);
      if (end === -1) {
        out += '\\{';
        continue;
      }
      out += `(?:${alternatives(glob.slice(i + 1, end))
        .map(translate)
        .join('|')})`;
      i = end;
    } else {
      out += lit(c);
    }
  }
  return out;
}
