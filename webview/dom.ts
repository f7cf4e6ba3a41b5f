// A tiny element builder. Text only ever goes in through textContent, never as markup.

type Child = Node | string | false | undefined;

export interface Props {
  id?: string;
  class?: string;
  text?: string;
  title?: string;
  /** Plain attributes, including aria-* and role. */
  attrs?: Record<string, string>;
  /** data-* attributes, by their dataset name. */
  data?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.id) el.id = props.id;
  if (props.class) el.className = props.class;
  if (props.title) el.title = props.title;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  for (const [k, v] of Object.entries(props.data ?? {})) el.dataset[k] = v;
  for (const c of children) if (c !== false && c !== undefined) el.append(c);
  return el;
}

export function icon(name: string): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });
}

/** A toolbar button named by its aria-label and tooltip, since it shows only an icon. */
export function iconButton(iconName: string, label: string, data: Record<string, string> = {}): HTMLButtonElement {
  return h('button', { class: 'icon-button', title: label, attrs: { type: 'button', 'aria-label': label }, data }, [icon(iconName)]);
}

/** A box with the image's aspect ratio, as a preview of its shape. */
export function ratioBox(width: number, height: number): HTMLSpanElement {
  const box = h('span', { class: 'ratio-box', attrs: { 'aria-hidden': 'true' } });
  const long = Math.max(width, height) || 1;
  // CSSOM assignments are not inline style attributes, so the CSP's style-src allows them.
  box.style.width = `${Math.round((16 * width) / long)}px`;
  box.style.height = `${Math.round((16 * height) / long)}px`;
  return box;
}
