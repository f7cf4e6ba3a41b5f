// The reference images of an edit: picked through the host's open dialog or dropped from the
// Explorer, listed as the host accepted them, with the mask painter for the first one.
import { editImageLimit, MAX_REFERENCES } from '../src/core/editLimits';
import { parseUriList, type ReferenceView } from '../src/protocol';
import { h, icon, iconButton } from './dom';
import { MaskPainter } from './maskPainter';
import { S } from './strings';
import { send } from './vscodeApi';

/** VS Code's own drag type first: it is there for every Explorer drag, text/uri-list not always. */
const URI_LIST_TYPES = ['application/vnd.code.uri-list', 'text/uri-list'];

export class ReferencePanel {
  readonly el: HTMLElement;
  readonly painter: MaskPainter;
  private readonly count = h('span', { id: 'references-count', class: 'count' });
  private readonly list = h('ul', { id: 'reference-list', class: 'reference-list', attrs: { 'aria-labelledby': 'references-title' } });
  private readonly problem = h('p', { id: 'references-problem', class: 'hint error', attrs: { role: 'alert' } });
  private readonly limitNote = h('p', { id: 'references-limit', class: 'hint error', attrs: { 'aria-live': 'polite' } });
  private readonly pick = h(
    'button',
    { id: 'pick-references', class: 'secondary', title: S.pickReferencesHint, attrs: { type: 'button' } },
    [icon('file-media'), S.pickReferences],
  );
  private readonly zone = h('div', { id: 'reference-drop', class: 'drop-zone' }, [
    icon('cloud-upload'),
    h('span', { class: 'hint', text: S.dropHint }),
    this.pick,
  ]);
  private readonly maskButton = h('button', {
    id: 'paint-mask',
    class: 'secondary',
    title: S.paintMaskHint,
    attrs: { type: 'button', 'aria-controls': 'mask-painter', 'aria-expanded': 'false' },
  });
  private readonly maskState = h('span', { id: 'mask-state', class: 'meta', attrs: { 'aria-live': 'polite' } });
  private refs: ReferenceView[] = [];
  private model = '';

  constructor(private readonly onChange: () => void) {
    this.painter = new MaskPainter(() => this.renderMask());
    this.painter.onClosed = () => this.maskButton.focus();
    this.pick.addEventListener('click', () => send({ type: 'pickReferences' }));
    this.maskButton.addEventListener('click', () => {
      if (this.painter.isOpen) this.painter.close();
      else this.painter.open();
      this.renderMask();
    });
    this.el = h('section', { id: 'references', class: 'field references', attrs: { 'aria-labelledby': 'references-title' } }, [
      h('div', { class: 'label-row' }, [h('span', { id: 'references-title', class: 'label', text: S.references }), this.count]),
      this.zone,
      this.problem,
      this.list,
      this.limitNote,
      this.painter.el,
    ]);
    this.listenForDrops();
    this.showProblem(undefined);
    this.render();
  }

  get size(): number {
    return this.refs.length;
  }

  /** The first reference: the mask is painted over it, and the edit's size starts from its own. */
  first(): ReferenceView | undefined {
    return this.refs[0];
  }

  /** The references in the host's order; the first is the one the mask is for. */
  uris(): string[] {
    return this.refs.map((r) => r.uri);
  }

  /** The host's whole list, after a pick, a drop or a removal; `problem` says what it refused. */
  set(refs: readonly ReferenceView[], problem: string | undefined): void {
    this.refs = [...refs];
    this.showProblem(problem);
    this.painter.setImage(this.refs[0]);
    this.render();
    this.onChange();
  }

  setModel(model: string): void {
    if (model === this.model) return;
    this.model = model;
    this.renderLimit();
  }

  /** Why Edit cannot run with these references and this model; undefined when it can. */
  blocked(): string | undefined {
    const max = editImageLimit(this.model);
    return this.refs.length > max ? S.referencesTooMany(this.model, max) : undefined;
  }

  showProblem(message: string | undefined): void {
    this.problem.textContent = message ?? '';
    this.problem.hidden = !message;
  }

  private listenForDrops(): void {
    // The whole section takes the drop, so a drag does not have to hit the small zone exactly.
    const target = this.el;
    const over = (e: DragEvent) => {
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      this.zone.classList.add('dragging');
    };
    target.addEventListener('dragenter', over);
    target.addEventListener('dragover', over);
    target.addEventListener('dragleave', (e) => {
      if (!(e.relatedTarget instanceof Node) || !target.contains(e.relatedTarget)) this.zone.classList.remove('dragging');
    });
    target.addEventListener('drop', (e) => {
      e.preventDefault();
      this.zone.classList.remove('dragging');
      const data = e.dataTransfer;
      const text = data ? URI_LIST_TYPES.map((t) => data.getData(t)).find((t) => t.trim()) : undefined;
      const uris = parseUriList(text ?? '');
      if (!uris.length) return this.showProblem(S.dropNothing);
      this.showProblem(undefined);
      send({ type: 'dropReferences', uris });
    });
  }

  private render(): void {
    this.list.replaceChildren(...this.refs.map((r, i) => this.item(r, i === 0)));
    this.list.hidden = this.refs.length === 0;
    const full = this.refs.length >= MAX_REFERENCES;
    this.pick.disabled = full;
    this.pick.title = full ? S.referencesFull(MAX_REFERENCES) : S.pickReferencesHint;
    this.renderLimit();
    this.renderMask();
  }

  private item(ref: ReferenceView, first: boolean): HTMLLIElement {
    const thumb = h('img', { class: 'reference-thumb', attrs: { src: ref.src, alt: '', decoding: 'async' } });
    thumb.width = ref.width;
    thumb.height = ref.height;
    const remove = iconButton('close', S.removeReference(ref.name));
    remove.addEventListener('click', () => send({ type: 'removeReference', uri: ref.uri }));
    const info = h('div', { class: 'reference-info' }, [
      h('span', { class: 'file-name', text: ref.name, title: ref.name }),
      h('span', { class: 'meta', text: S.referenceSize(ref.width, ref.height) }),
      // The state has a line of its own, so painting (which changes it) never reflows the canvas below.
      first && h('div', { class: 'row' }, [this.maskButton]),
      first && this.maskState,
    ]);
    return h('li', { class: 'reference-item', data: { uri: ref.uri } }, [thumb, info, remove]);
  }

  private renderLimit(): void {
    this.count.textContent = S.referenceCount(this.refs.length, Math.min(MAX_REFERENCES, Math.max(1, editImageLimit(this.model))));
    const blocked = this.refs.length ? this.blocked() : undefined;
    this.limitNote.textContent = blocked ?? '';
    this.limitNote.hidden = !blocked;
  }

  private renderMask(): void {
    const painted = this.painter.hasPaint;
    this.maskButton.replaceChildren(icon('paintcan'), painted ? S.editMask : S.paintMask);
    this.maskButton.setAttribute('aria-expanded', String(this.painter.isOpen));
    this.maskState.textContent = painted ? S.maskPainted : S.maskNone;
    this.maskState.title = painted ? '' : S.maskNoneHint;
  }
}
