// Two images in one box under a slider: `before` lies on top, clipped at the slider's position, so the left
// of the divider shows before and the right after. Both are fitted into the same box (object-fit: contain),
// so images of different sizes line up at the divider; each one's pixel size is shown below. A range input
// carries the position for the keyboard and screen readers; a pointer drags it anywhere on the box.
// The studio's compare dialog and the compare panel's page both build theirs here.
import type { CompareView } from '../src/protocol';
import { h } from './dom';
import './compareSlider.css';

const START = 50;

export interface CompareSlider {
  readonly el: HTMLElement;
  readonly range: HTMLInputElement;
}

function side(view: CompareView['before'], which: 'before' | 'after'): { img: HTMLImageElement; size: HTMLElement } {
  const img = h('img', { class: `compare-image compare-${which}`, attrs: { alt: view.label, decoding: 'async', draggable: 'false' } });
  const size = h('span', { class: 'compare-pixels' });
  const showSize = (width: number, height: number) => (size.textContent = width && height ? `${width}×${height}` : '');
  showSize(view.file.width, view.file.height);
  // The file's own size, once loaded: the history may not know it (0), and the file may have changed.
  img.addEventListener('load', () => showSize(img.naturalWidth, img.naturalHeight));
  img.src = view.file.src;
  return { img, size };
}

/** `sliderLabel` names the range for screen readers ("Divider between Before and After"). */
export function compareSlider(view: CompareView, sliderLabel: string): CompareSlider {
  const before = side(view.before, 'before');
  const after = side(view.after, 'after');
  const divider = h('div', { class: 'compare-divider', attrs: { 'aria-hidden': 'true' } });
  const box = h('div', { class: 'compare-box' }, [
    after.img,
    before.img,
    divider,
    h('span', {
      class: 'compare-label compare-label-before',
      text: view.before.label,
      title: view.before.label,
      attrs: { 'aria-hidden': 'true' },
    }),
    h('span', {
      class: 'compare-label compare-label-after',
      text: view.after.label,
      title: view.after.label,
      attrs: { 'aria-hidden': 'true' },
    }),
  ]);
  const { width, height } = view.after.file.width ? view.after.file : view.before.file;
  // CSSOM assignments are not inline style attributes, so the CSP's style-src allows them.
  if (width && height) box.style.aspectRatio = `${width} / ${height}`;
  const range = h('input', {
    class: 'compare-range',
    attrs: { type: 'range', min: '0', max: '100', step: '1', value: String(START), 'aria-label': sliderLabel },
  });
  const legend = h('p', { class: 'compare-legend' }, [
    h('span', {}, [h('span', { class: 'compare-name', text: view.before.label }), ' ', before.size]),
    h('span', {}, [h('span', { class: 'compare-name', text: view.after.label }), ' ', after.size]),
  ]);

  const set = (position: number) => {
    const p = Math.min(100, Math.max(0, Math.round(position)));
    before.img.style.clipPath = `inset(0 ${100 - p}% 0 0)`;
    divider.style.left = `${p}%`;
    range.value = String(p);
    range.setAttribute('aria-valuetext', `${p}%`);
    box.dataset.position = String(p);
  };
  range.addEventListener('input', () => set(Number(range.value)));

  const follow = (event: PointerEvent) => {
    const rect = box.getBoundingClientRect();
    if (rect.width > 0) set(((event.clientX - rect.left) / rect.width) * 100);
  };
  box.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    box.setPointerCapture(event.pointerId);
    follow(event);
    // The keyboard takes over where the pointer left it.
    range.focus({ preventScroll: true });
  });
  box.addEventListener('pointermove', (event) => {
    if (box.hasPointerCapture(event.pointerId)) follow(event);
  });
  set(START);
  return { el: h('figure', { class: 'compare' }, [box, range, legend]), range };
}
