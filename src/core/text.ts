// Text from storage or a server made safe to show: no control characters, bounded length.

// C0 controls other than tab, newline and carriage return have no place in a prompt or a name.
// eslint-disable-next-line no-control-regex -- matching them is the point
export const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Makes stored or server text fit a `text(max)` field, so one odd history entry cannot void a whole page. */
export function cleanText(s: string, max: number): string {
  return s.replace(new RegExp(CONTROL.source, 'g'), ' ').slice(0, max);
}
