// One generated image: its thumbnail (a webview URI, loaded lazily) and the actions on it.
import type { FileView } from '../src/protocol';
import { h, icon, iconButton } from './dom';
import { S } from './strings';

/** `data-action` names the host message a button sends; `data-file` is the URI the host gave. */
const ACTIONS: readonly [action: string, codicon: string, label: string][] = [
  ['insert', 'insert', S.insert],
  ['open', 'go-to-file', S.open],
  ['reveal', 'folder-opened', S.reveal],
  ['copyMarkdown', 'markdown', S.copyMarkdown],
  ['copyPath', 'copy', S.copyPath],
  ['delete', 'trash', S.delete],
];

export function imageCard(file: FileView, alt: string, className: string): HTMLElement {
  const card = h('figure', { class: `image-card ${className}`, data: { file: file.uri } });
  card.append(file.missing ? missingBox() : thumbnail(file, alt));
  const bar = h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': file.name } });
  for (const [action, codicon, label] of ACTIONS) {
    // A deleted file can only be forgotten about; there is nothing to open or link.
    if (file.missing && action !== 'copyPath') continue;
    bar.append(iconButton(codicon, label, { action, file: file.uri }));
  }
  card.append(h('figcaption', { class: 'file-name', text: file.name, title: file.name }), bar);
  return card;
}

function thumbnail(file: FileView, alt: string): HTMLElement {
  const img = h('img', { attrs: { src: file.src, alt, loading: 'lazy', decoding: 'async' } });
  if (file.width && file.height) {
    img.width = file.width;
    img.height = file.height;
  }
  // Opening is the thumbnail's natural action; the button stays for keyboard users.
  img.addEventListener('dblclick', () => img.closest('figure')?.querySelector<HTMLButtonElement>('[data-action="open"]')?.click());
  return img;
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
