// One generated image: its thumbnail (a webview URI, loaded lazily) and the actions on it.
import type { FileView } from '../src/protocol';
import { h, icon, iconButton } from './dom';
import { S } from './strings';

/** `data-action` names the host message a button sends; `data-file` is the URI the host gave. */
const ACTIONS: readonly [action: string, codicon: string, label: string][] = [
  ['refine', 'edit', S.refine],
  ['showInfo', 'info', S.showInfo],
  ['insert', 'insert', S.insert],
  ['open', 'go-to-file', S.open],
  ['reveal', 'folder-opened', S.reveal],
  ['copyMarkdown', 'markdown', S.copyMarkdown],
  ['copyPath', 'copy', S.copyPath],
  ['delete', 'trash', S.delete],
];

/**
 * A card with an empty thumbnail and every action, built once and cloned per image: a history page has 50,
 * and building their 16 elements each in script took 25–60 ms on a freshly loaded view (its code still
 * cold), cloning and filling them in 13–18 ms.
 */
let template: HTMLElement | undefined;

function cardTemplate(): HTMLElement {
  const img = h('img', { attrs: { alt: '', loading: 'lazy', decoding: 'async' } });
  const bar = h(
    'div',
    { class: 'toolbar', attrs: { role: 'toolbar' } },
    ACTIONS.map(([action, codicon, label]) => iconButton(codicon, label, { action })),
  );
  // Shown only while picking two results to compare (compare.ts).
  const pick = h('input', { class: 'pick', attrs: { type: 'checkbox' } });
  return h('figure', { class: 'image-card' }, [img, h('figcaption', { class: 'file-name' }), bar, pick]);
}

/** `parent`: the result refines another, so the card offers to compare the two. */
export function imageCard(file: FileView, alt: string, className: string, parent = false): HTMLElement {
  if (file.missing) return missingCard(file, className);
  const card = (template ??= cardTemplate()).cloneNode(true) as HTMLElement;
  const [img, caption, bar, pick] = card.children as unknown as [HTMLImageElement, HTMLElement, HTMLElement, HTMLInputElement];
  card.className = `image-card ${className}`;
  card.dataset.file = file.uri;
  img.alt = alt;
  if (file.width && file.height) {
    img.width = file.width;
    img.height = file.height;
  }
  img.src = file.src;
  img.addEventListener('dblclick', openOnDoubleClick);
  caption.textContent = file.name;
  if (file.name) caption.title = file.name;
  bar.setAttribute('aria-label', file.name);
  pick.setAttribute('aria-label', S.comparePick(file.name));
  if (parent) bar.children[0]!.after(iconButton('diff', S.compareParent, { action: 'compareParent' }));
  for (const button of bar.children) (button as HTMLElement).dataset.file = file.uri;
  return card;
}

/** Opening is the thumbnail's natural action; the button stays for keyboard users. */
function openOnDoubleClick(event: MouseEvent): void {
  (event.currentTarget as Element).closest('figure')?.querySelector<HTMLButtonElement>('[data-action="open"]')?.click();
}

/** A deleted file can only be forgotten about; there is nothing to open or link. */
function missingCard(file: FileView, className: string): HTMLElement {
  const bar = h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': file.name } });
  for (const [action, codicon, label] of ACTIONS) {
    if (action === 'copyPath') bar.append(iconButton(codicon, label, { action, file: file.uri }));
  }
  return h('figure', { class: `image-card ${className}`, data: { file: file.uri } }, [
    missingBox(),
    h('figcaption', { class: 'file-name', text: file.name, title: file.name }),
    bar,
  ]);
}

function missingBox(): HTMLElement {
  return h('div', { class: 'missing', attrs: { role: 'img', 'aria-label': S.fileDeleted } }, [icon('circle-slash'), S.fileDeleted]);
}

/** Marks every card of these files as deleted, wherever it is shown. */
export function markDeleted(root: HTMLElement, uris: readonly string[]): void {
  const gone = new Set(uris);
  for (const card of root.querySelectorAll<HTMLElement>('figure.image-card')) {
    if (!gone.has(card.dataset.file ?? '')) continue;
    card.querySelector('img')?.replaceWith(missingBox());
    for (const b of card.querySelectorAll<HTMLElement>('[data-action]')) if (b.dataset.action !== 'copyPath') b.remove();
  }
}
