// The mask painter's geometry and keys, free of the DOM so they can be unit-tested. Every
// position and size is in the reference image's own pixels, whatever size it is shown at.

export interface Point {
  x: number;
  y: number;
}

export interface BrushLimits {
  min: number;
  max: number;
  initial: number;
}

export type MaskTool = 'brush' | 'eraser';

export type MaskKeyAction =
  | { kind: 'move'; dx: number; dy: number }
  | { kind: 'paint' }
  | { kind: 'tool'; tool: MaskTool }
  | { kind: 'size'; direction: 1 | -1 }
  | { kind: 'clear' };

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const longSide = (width: number, height: number) => Math.max(1, width, height);

/** Brush diameters scale with the image, so a 4K image takes as many strokes as a 1K one. */
export function brushLimits(width: number, height: number): BrushLimits {
  const long = longSide(width, height);
  const min = Math.max(2, Math.round(long / 200));
  const max = Math.max(min, Math.round(long / 4));
  return { min, max, initial: clamp(Math.round(long / 16), min, max) };
}

/** One `[` or `]`: a quarter bigger or smaller, at least one pixel, within the limits. */
export function resizeBrush(size: number, direction: 1 | -1, limits: BrushLimits): number {
  const next = direction > 0 ? Math.max(size + 1, Math.round(size * 1.25)) : Math.min(size - 1, Math.round(size / 1.25));
  return clamp(next, limits.min, limits.max);
}

/** An arrow key moves the cursor by 1% of the image's longer side; with Shift, by 10%. */
export function cursorStep(width: number, height: number, big: boolean): number {
  const step = Math.max(1, Math.round(longSide(width, height) / 100));
  return big ? step * 10 : step;
}

/** What a key does on the focused mask canvas; undefined leaves the key to the page (Tab, Escape…). */
export function maskKeyAction(key: string, shift: boolean, step: { small: number; big: number }): MaskKeyAction | undefined {
  const d = shift ? step.big : step.small;
  switch (key) {
    case 'ArrowLeft':
      return { kind: 'move', dx: -d, dy: 0 };
    case 'ArrowRight':
      return { kind: 'move', dx: d, dy: 0 };
    case 'ArrowUp':
      return { kind: 'move', dx: 0, dy: -d };
    case 'ArrowDown':
      return { kind: 'move', dx: 0, dy: d };
    case ' ':
    case 'Enter':
      return { kind: 'paint' };
    case 'b':
    case 'B':
      return { kind: 'tool', tool: 'brush' };
    case 'e':
    case 'E':
      return { kind: 'tool', tool: 'eraser' };
    case '[':
      return { kind: 'size', direction: -1 };
    case ']':
      return { kind: 'size', direction: 1 };
    case 'Delete':
    case 'Backspace':
      return { kind: 'clear' };
    default:
      return undefined;
  }
}

/** Keeps the cursor on the image. */
export function clampPoint(p: Point, width: number, height: number): Point {
  return { x: clamp(p.x, 0, width), y: clamp(p.y, 0, height) };
}

/** A pointer position (client pixels) on the canvas shown in `rect`, in image pixels. */
export function toImagePoint(
  clientX: number,
  clientY: number,
  rect: { left: number; top: number; width: number; height: number },
  width: number,
  height: number,
): Point {
  const x = rect.width > 0 ? ((clientX - rect.left) / rect.width) * width : 0;
  const y = rect.height > 0 ? ((clientY - rect.top) / rect.height) * height : 0;
  return clampPoint({ x, y }, width, height);
}

/** The cursor ring's box as percentages of the shown image, so it needs no layout measuring. */
export function cursorBox(
  p: Point,
  diameter: number,
  width: number,
  height: number,
): { left: number; top: number; width: number; height: number } {
  const r = diameter / 2;
  return {
    left: ((p.x - r) / width) * 100,
    top: ((p.y - r) / height) * 100,
    width: (diameter / width) * 100,
    height: (diameter / height) * 100,
  };
}
