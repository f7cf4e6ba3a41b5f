// Compare in the studio: "Compare with parent" on a card, or "Compare…" to pick two results by their
// checkboxes and then Compare. The host checks both files and answers with the pair, shown under the slider
// in a modal dialog; Escape or Close ends it, and the focus goes back to what opened it.
import type { CompareView } from '../src/protocol';
import { compareSlider } from './compareSlider';
import { h, iconButton } from './dom';
import { S } from './strings';
import { send } from './vscodeApi';

export class CompareDialog {
  readonly el = h('dialog', { id: 'compare-dialog', class: 'compare-dialog', attrs: { 'aria-labelledby': 'compare-title' } });
  /** What asked for the comparison, for the focus to go back to; the host's answer comes later. */
  private opener: HTMLElement | undefined;

  constructor() {
    this.el.addEventListener('close', () => {
      this.el.replaceChildren();
      if (this.opener?.isConnected) this.opener.focus();
      this.opener = undefined;
    });
  }

  /** Remembers the control that asked; the dialog opens when the host answers. */
  asked(opener: HTMLElement): void {
    this.opener = opener;
  }

  show(view: CompareView): void {
    const close = iconButton('close', S.close);
    close.addEventListener('click', () => this.el.close());
    const slider = compareSlider(view, S.compareSlider(view.before.label, view.after.label));
    this.el.replaceChildren(
      h('div', { class: 'compare-head' }, [h('h2', { id: 'compare-title', text: S.compare }), close]),
      slider.el,
      h('p', { class: 'hint', text: S.compareKeys }),
    );
    if (!this.el.open) this.el.showModal();
    slider.range.focus();
  }
}

/** Picking two results: a toggle shows a checkbox on every card, and Compare sends the two checked. */
export class ComparePicker {
  readonly toggle = h('button', {
    id: 'compare-toggle',
    class: 'secondary compare-toggle',
    text: S.compareToggle,
    title: S.compareToggleHint,
    attrs: { type: 'button', 'aria-pressed': 'false' },
  });
  private readonly status = h('span', { class: 'compare-status', attrs: { 'aria-live': 'polite' } });
  private readonly go = h('button', { id: 'compare-go', text: S.compare, attrs: { type: 'button' } });
  readonly bar = h('div', { id: 'compare-bar', class: 'compare-bar' }, [this.status, this.go]);
  private chosen: string[] = [];

  constructor(
    private readonly root: HTMLElement,
    dialog: CompareDialog,
  ) {
    this.bar.hidden = true;
    this.toggle.addEventListener('click', () => this.setPicking(!this.picking));
    this.go.addEventListener('click', () => {
      const [a, b] = this.chosen;
      if (this.chosen.length !== 2 || !a || !b) return;
      dialog.asked(this.go);
      send({ type: 'compare', files: [a, b] });
    });
    root.addEventListener('change', (event) => {
      const box = event.target as HTMLInputElement;
      if (!box.classList.contains('pick')) return;
      const file = box.closest<HTMLElement>('figure.image-card')?.dataset.file;
      if (file) this.choose(file, box.checked);
    });
    this.update();
  }

  private get picking(): boolean {
    return this.root.classList.contains('picking');
  }

  private setPicking(on: boolean): void {
    this.root.classList.toggle('picking', on);
    this.toggle.setAttribute('aria-pressed', String(on));
    this.bar.hidden = !on;
    if (!on) this.chosen = [];
    this.update();
  }

  /** A file shows on a job's card and on its history entry's: both checkboxes follow the one choice. */
  private choose(file: string, on: boolean): void {
    this.chosen = this.chosen.filter((f) => f !== file);
    if (on) this.chosen.push(file);
    this.update();
  }

  private update(): void {
    for (const box of this.root.querySelectorAll<HTMLInputElement>('input.pick')) {
      box.checked = this.chosen.includes(box.closest<HTMLElement>('figure.image-card')?.dataset.file ?? '');
    }
    this.status.textContent = S.compareChosen(this.chosen.length);
    this.go.disabled = this.chosen.length !== 2;
  }

  /** Cards added later (a finished job, another page) start unchecked unless their file is chosen. */
  refresh(): void {
    if (this.picking) this.update();
  }
}
