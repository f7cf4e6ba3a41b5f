// Paints the mask over the first reference image with the mouse or the keyboard. The canvas holds
// the painted layer at the image's own pixel size; CSS lays it, half transparent, over the image.
import {
  brushLimits,
  clampPoint,
  cursorBox,
  cursorStep,
  maskKeyAction,
  resizeBrush,
  toImagePoint,
  type BrushLimits,
  type MaskTool,
  type Point,
} from '../src/core/maskBrush';
import type { ReferenceView } from '../src/protocol';
import { h, icon } from './dom';
import { maskPng, type MaskResult } from './maskPng';
import { S } from './strings';

export class MaskPainter {
  readonly el: HTMLElement;
  private readonly stage = h('div', { class: 'mask-stage' });
  private readonly img = h('img', { class: 'mask-image', attrs: { alt: '' } });
  private readonly canvas = h('canvas', {
    id: 'mask-canvas',
    class: 'mask-canvas',
    // "application": screen readers pass the painting keys through instead of browsing with them.
    attrs: { tabindex: '0', role: 'application', 'aria-describedby': 'mask-keys' },
  });
  private readonly cursor = h('div', { class: 'mask-cursor', attrs: { 'aria-hidden': 'true' } });
  private readonly toolButtons: Record<MaskTool, HTMLButtonElement>;
  private readonly sizeInput = h('input', { id: 'mask-size', class: 'mask-size', attrs: { type: 'range', step: '1' } });
  private readonly sizeValue = h('output', { id: 'mask-size-value', class: 'meta', attrs: { for: 'mask-size' } });
  private readonly status = h('p', { id: 'mask-status', class: 'visually-hidden', attrs: { 'aria-live': 'polite' } });
  private image: ReferenceView | undefined;
  private tool: MaskTool = 'brush';
  private limits: BrushLimits = brushLimits(1024, 1024);
  private size = this.limits.initial;
  private pos: Point = { x: 0, y: 0 };
  /** The last point of the pointer stroke in progress. */
  private last: Point | undefined;
  private spaceHeld = false;
  private hovering = false;
  private painted = false;
  private changePending = false;
  /** Called when Done closes the painter while focus was in it. */
  onClosed: (() => void) | undefined;

  constructor(private readonly onChange: () => void) {
    const toolButton = (tool: MaskTool, codicon: string, label: string, hint: string) => {
      const b = h('button', { class: 'radio', title: hint, attrs: { type: 'button', 'aria-pressed': 'false' }, data: { tool } }, [
        icon(codicon),
        label,
      ]);
      b.addEventListener('click', () => this.setTool(tool));
      return b;
    };
    this.toolButtons = {
      brush: toolButton('brush', 'paintcan', S.brush, S.brushHint),
      eraser: toolButton('eraser', 'eraser', S.eraser, S.eraserHint),
    };
    const clear = h('button', { id: 'mask-clear', class: 'secondary', title: S.clearMaskHint, attrs: { type: 'button' } }, [
      icon('clear-all'),
      S.clearMask,
    ]);
    clear.addEventListener('click', () => this.clear());
    const done = h('button', { id: 'mask-done', class: 'secondary', attrs: { type: 'button' } }, [icon('check'), S.doneMask]);
    done.addEventListener('click', () => this.close());
    this.sizeInput.title = S.brushSizeHint;
    this.sizeInput.addEventListener('input', () => this.setSize(Number(this.sizeInput.value)));

    this.stage.append(this.img, this.canvas, this.cursor);
    this.el = h('div', { id: 'mask-painter', class: 'mask-painter', attrs: { role: 'group', 'aria-label': S.maskPainter } }, [
      h('div', { class: 'mask-toolbar', attrs: { role: 'toolbar', 'aria-label': S.maskTools } }, [
        this.toolButtons.brush,
        this.toolButtons.eraser,
        clear,
      ]),
      h('div', { class: 'mask-size-row' }, [
        h('label', { text: S.brushSize, attrs: { for: 'mask-size' } }),
        this.sizeInput,
        this.sizeValue,
      ]),
      this.stage,
      h('p', { id: 'mask-keys', class: 'hint', text: S.maskKeys }),
      h('div', { class: 'mask-footer' }, [done]),
      this.status,
    ]);
    this.el.hidden = true;
    this.listen();
    this.setTool('brush');
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  /** Whether anything was painted since the last Clear (an erased-away mask still counts until it is exported). */
  get hasPaint(): boolean {
    return this.painted;
  }

  /** The image the mask is for; a different image (or none) starts a new, empty mask. */
  setImage(image: ReferenceView | undefined): void {
    const same =
      image && this.image && image.uri === this.image.uri && image.width === this.image.width && image.height === this.image.height;
    if (same) return;
    this.image = image;
    this.painted = false;
    this.changePending = false;
    this.last = undefined;
    if (!image) {
      this.el.hidden = true;
      return;
    }
    // Setting the size also empties the canvas.
    this.canvas.width = image.width;
    this.canvas.height = image.height;
    this.canvas.setAttribute('aria-label', S.maskCanvas(image.name));
    this.img.src = image.src;
    this.img.width = image.width;
    this.img.height = image.height;
    this.stage.style.aspectRatio = `${image.width} / ${image.height}`;
    this.limits = brushLimits(image.width, image.height);
    this.sizeInput.min = String(this.limits.min);
    this.sizeInput.max = String(this.limits.max);
    this.setSize(this.limits.initial);
    this.pos = { x: image.width / 2, y: image.height / 2 };
    this.renderCursor();
  }

  open(): void {
    if (!this.image) return;
    this.el.hidden = false;
    this.canvas.focus();
  }

  close(): void {
    const hadFocus = this.el.contains(document.activeElement);
    this.el.hidden = true;
    this.onChange();
    // Focus would otherwise fall to the page's start.
    if (hadFocus) this.onClosed?.();
  }

  /** The mask to send with an edit: undefined base64 when nothing is painted. */
  async export(): Promise<MaskResult> {
    if (!this.image || !this.painted) return { ok: true, base64: undefined };
    return maskPng(this.canvas);
  }

  private listen(): void {
    const c = this.canvas;
    c.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || !this.image) return;
      e.preventDefault();
      c.focus();
      // Captured, a stroke goes on when the pointer leaves the canvas while the button is down.
      c.setPointerCapture(e.pointerId);
      this.pos = this.pointAt(e);
      this.last = this.pos;
      this.dab(this.pos);
    });
    c.addEventListener('pointermove', (e) => {
      if (!this.image) return;
      this.pos = this.pointAt(e);
      if (this.last) {
        this.line(this.last, this.pos);
        this.last = this.pos;
      }
      this.renderCursor();
    });
    const end = (e: PointerEvent) => {
      this.last = undefined;
      if (c.hasPointerCapture(e.pointerId)) c.releasePointerCapture(e.pointerId);
      if (this.changePending) {
        this.changePending = false;
        this.onChange();
      }
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
    c.addEventListener('pointerenter', () => {
      this.hovering = true;
      this.renderCursor();
    });
    c.addEventListener('pointerleave', () => {
      this.hovering = false;
      this.renderCursor();
    });
    c.addEventListener('focus', () => this.renderCursor());
    c.addEventListener('blur', () => {
      this.spaceHeld = false;
      this.renderCursor();
    });
    c.addEventListener('keydown', (e) => this.onKey(e));
    c.addEventListener('keyup', (e) => {
      if (e.key === ' ') this.spaceHeld = false;
    });
  }

  private onKey(e: KeyboardEvent): void {
    const image = this.image;
    if (!image || e.ctrlKey || e.metaKey || e.altKey) return;
    const step = { small: cursorStep(image.width, image.height, false), big: cursorStep(image.width, image.height, true) };
    const action = maskKeyAction(e.key, e.shiftKey, step);
    if (!action) return;
    // Arrows and Space would otherwise scroll the sidebar.
    e.preventDefault();
    switch (action.kind) {
      case 'move': {
        const from = this.pos;
        this.pos = clampPoint({ x: from.x + action.dx, y: from.y + action.dy }, image.width, image.height);
        // Holding Space while moving paints a line, as dragging does.
        if (this.spaceHeld) this.line(from, this.pos);
        return this.renderCursor();
      }
      case 'paint':
        if (e.key === ' ') this.spaceHeld = true;
        if (!e.repeat) this.dab(this.pos);
        return;
      case 'tool':
        return this.setTool(action.tool);
      case 'size':
        return this.setSize(resizeBrush(this.size, action.direction, this.limits));
      case 'clear':
        return this.clear();
    }
  }

  private pointAt(e: PointerEvent): Point {
    return toImagePoint(e.clientX, e.clientY, this.canvas.getBoundingClientRect(), this.canvas.width, this.canvas.height);
  }

  private context(): CanvasRenderingContext2D | undefined {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return undefined;
    ctx.globalCompositeOperation = this.tool === 'eraser' ? 'destination-out' : 'source-over';
    // Any opaque colour: only the alpha becomes the mask. The theme's colour keeps it visible.
    const colour = getComputedStyle(this.canvas).color || '#f00';
    ctx.fillStyle = colour;
    ctx.strokeStyle = colour;
    return ctx;
  }

  private dab(p: Point): void {
    const ctx = this.context();
    if (!ctx) return;
    ctx.beginPath();
    ctx.arc(p.x, p.y, this.size / 2, 0, Math.PI * 2);
    ctx.fill();
    this.markPainted();
  }

  private line(from: Point, to: Point): void {
    const ctx = this.context();
    if (!ctx) return;
    ctx.lineWidth = this.size;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    this.markPainted();
  }

  private markPainted(): void {
    if (this.tool !== 'brush' || this.painted) return;
    this.painted = true;
    // The status above the canvas may reflow it: not in the middle of a stroke, or the stroke would jump.
    if (this.last) this.changePending = true;
    else this.onChange();
  }

  private clear(): void {
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const had = this.painted;
    this.painted = false;
    this.status.textContent = S.maskCleared;
    if (had) this.onChange();
  }

  private setTool(tool: MaskTool): void {
    this.tool = tool;
    for (const [t, b] of Object.entries(this.toolButtons)) b.setAttribute('aria-pressed', String(t === tool));
    this.cursor.classList.toggle('eraser', tool === 'eraser');
    this.announce();
  }

  private setSize(size: number): void {
    if (!Number.isFinite(size)) return;
    this.size = Math.min(this.limits.max, Math.max(this.limits.min, Math.round(size)));
    this.sizeInput.value = String(this.size);
    this.sizeValue.textContent = S.pixelsValue(this.size);
    this.renderCursor();
    this.announce();
  }

  private announce(): void {
    this.status.textContent = `${this.tool === 'brush' ? S.brush : S.eraser}, ${S.pixelsValue(this.size)}`;
  }

  private renderCursor(): void {
    const image = this.image;
    const shown = !!image && (this.hovering || document.activeElement === this.canvas);
    this.cursor.classList.toggle('visible', shown);
    if (!image) return;
    const box = cursorBox(this.pos, this.size, image.width, image.height);
    // CSSOM assignments are not inline style attributes, so the CSP allows them.
    this.cursor.style.left = `${box.left}%`;
    this.cursor.style.top = `${box.top}%`;
    this.cursor.style.width = `${box.width}%`;
    this.cursor.style.height = `${box.height}%`;
  }
}
