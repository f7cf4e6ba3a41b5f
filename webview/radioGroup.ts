// A row of buttons that behaves as one ARIA radio group: one tab stop, arrow keys move and select.
import { h } from './dom';

export interface RadioOption {
  value: string;
  content: (Node | string)[];
  title?: string;
  /** Extra attributes, e.g. a second data-* name tests can use. */
  attrs?: Record<string, string>;
}

export interface RadioGroupSpec {
  /** Accessible name of the group. */
  label: string;
  /** The data attribute each option carries (`data-tier="2K"`), also the group's data-group. */
  key: string;
  options: readonly RadioOption[];
  selected: string | undefined;
  onSelect(value: string): void;
}

export function radioGroup(spec: RadioGroupSpec): HTMLDivElement {
  const group = h('div', { class: 'radio-group', attrs: { role: 'radiogroup', 'aria-label': spec.label }, data: { group: spec.key } });
  const buttons = spec.options.map((o) => {
    const checked = o.value === spec.selected;
    const b = h(
      'button',
      {
        class: 'radio',
        title: o.title,
        attrs: {
          type: 'button',
          role: 'radio',
          'aria-checked': String(checked),
          tabindex: checked ? '0' : '-1',
          [`data-${spec.key}`]: o.value,
          ...o.attrs,
        },
      },
      o.content,
    );
    b.addEventListener('click', () => spec.onSelect(o.value));
    return b;
  });
  // With nothing selected the first option takes the tab stop.
  if (!buttons.some((b) => b.tabIndex === 0) && buttons[0]) buttons[0].tabIndex = 0;
  group.addEventListener('keydown', (e) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (step === undefined || at < 0) return;
    e.preventDefault();
    const next = buttons[(at + step + buttons.length) % buttons.length]!;
    next.focus();
    spec.onSelect(spec.options[buttons.indexOf(next)]!.value);
  });
  group.append(...buttons);
  return group;
}

/** After a re-render, puts focus back on the checked option of the group that had it. */
export function restoreFocus(root: HTMLElement, groupKey: string | undefined): void {
  if (!groupKey) return;
  root.querySelector<HTMLElement>(`[data-group="${groupKey}"] [aria-checked="true"]`)?.focus();
}

export function focusedGroup(root: HTMLElement): string | undefined {
  const active = document.activeElement;
  return active && root.contains(active) ? (active.closest<HTMLElement>('[data-group]')?.dataset.group ?? undefined) : undefined;
}
