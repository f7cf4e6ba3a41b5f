import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brushLimits, clampPoint, cursorBox, cursorStep, maskKeyAction, resizeBrush, toImagePoint } from '../../src/core/maskBrush';

const step = { small: 10, big: 100 };

describe('mask brush', () => {
  it('scales brush sizes with the image', () => {
    assert.deepEqual(brushLimits(1024, 768), { min: 5, max: 256, initial: 64 });
    assert.deepEqual(brushLimits(3840, 2160), { min: 19, max: 960, initial: 240 });
    // A tiny image still gets a usable range.
    const tiny = brushLimits(16, 16);
    assert.ok(tiny.min >= 2 && tiny.min <= tiny.initial && tiny.initial <= tiny.max, JSON.stringify(tiny));
  });

  it('resizes by a quarter, by at least one pixel, within the limits', () => {
    const limits = brushLimits(1024, 768);
    assert.equal(resizeBrush(64, 1, limits), 80);
    assert.equal(resizeBrush(64, -1, limits), 51);
    assert.equal(resizeBrush(5, -1, limits), 5, 'not below the minimum');
    assert.equal(resizeBrush(256, 1, limits), 256, 'not above the maximum');
    assert.equal(resizeBrush(2, 1, { min: 2, max: 10, initial: 4 }), 3, 'a small brush still grows');
    assert.equal(resizeBrush(3, -1, { min: 2, max: 10, initial: 4 }), 2, 'and shrinks');
  });

  it('steps the cursor by 1% of the longer side, 10% with Shift', () => {
    assert.equal(cursorStep(1024, 768, false), 10);
    assert.equal(cursorStep(1024, 768, true), 100);
    assert.equal(cursorStep(50, 20, false), 1, 'never less than a pixel');
  });

  it('maps the painting keys, and leaves the others to the page', () => {
    assert.deepEqual(maskKeyAction('ArrowLeft', false, step), { kind: 'move', dx: -10, dy: 0 });
    assert.deepEqual(maskKeyAction('ArrowRight', true, step), { kind: 'move', dx: 100, dy: 0 });
    assert.deepEqual(maskKeyAction('ArrowUp', false, step), { kind: 'move', dx: 0, dy: -10 });
    assert.deepEqual(maskKeyAction('ArrowDown', true, step), { kind: 'move', dx: 0, dy: 100 });
    assert.deepEqual(maskKeyAction(' ', false, step), { kind: 'paint' });
    assert.deepEqual(maskKeyAction('Enter', false, step), { kind: 'paint' });
    assert.deepEqual(maskKeyAction('b', false, step), { kind: 'tool', tool: 'brush' });
    assert.deepEqual(maskKeyAction('E', true, step), { kind: 'tool', tool: 'eraser' });
    assert.deepEqual(maskKeyAction('[', false, step), { kind: 'size', direction: -1 });
    assert.deepEqual(maskKeyAction(']', false, step), { kind: 'size', direction: 1 });
    assert.deepEqual(maskKeyAction('Delete', false, step), { kind: 'clear' });
    for (const key of ['Tab', 'Escape', 'a', 'F1', 'Home']) assert.equal(maskKeyAction(key, false, step), undefined, key);
  });

  it('keeps the cursor on the image', () => {
    assert.deepEqual(clampPoint({ x: -5, y: 900 }, 1024, 768), { x: 0, y: 768 });
    assert.deepEqual(clampPoint({ x: 10, y: 20 }, 1024, 768), { x: 10, y: 20 });
  });

  it('turns a pointer position on the shown canvas into image pixels', () => {
    // The 1024x768 image shown 256x192 at (100, 50): a quarter of its size.
    const rect = { left: 100, top: 50, width: 256, height: 192 };
    assert.deepEqual(toImagePoint(100, 50, rect, 1024, 768), { x: 0, y: 0 });
    assert.deepEqual(toImagePoint(228, 146, rect, 1024, 768), { x: 512, y: 384 });
    assert.deepEqual(toImagePoint(400, 10, rect, 1024, 768), { x: 1024, y: 0 }, 'clamped outside the canvas');
    assert.deepEqual(toImagePoint(5, 5, { left: 0, top: 0, width: 0, height: 0 }, 1024, 768), { x: 0, y: 0 }, 'a hidden canvas');
  });

  it('places the cursor ring in percent of the image, centred on the point', () => {
    assert.deepEqual(cursorBox({ x: 512, y: 384 }, 64, 1024, 768), {
      left: (480 / 1024) * 100,
      top: (352 / 768) * 100,
      width: (64 / 1024) * 100,
      height: (64 / 768) * 100,
    });
  });
});
