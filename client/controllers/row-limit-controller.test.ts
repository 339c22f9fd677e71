/** A long list's rows: a screen's worth first, then a chunk after each paint, never in the frame of the first. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describe, expect, it } from 'vitest';
import { ROWS_PER_CHUNK, RowLimitController, firstRowsFor, type AfterPaint } from './row-limit-controller.js';

/** Lit's side of a host: the test plays the lifecycle and counts update requests. */
function host() {
  const controllers: ReactiveController[] = [];
  const requested = { count: 0 };
  const fake: ReactiveControllerHost = {
    addController: (controller) => void controllers.push(controller),
    removeController: () => undefined,
    requestUpdate: () => void requested.count++,
    updateComplete: Promise.resolve(true),
  };
  return { fake, controllers, requested };
}

/** Paints on demand: `paint()` runs what waited for the next paint. */
function painter() {
  let waiting: Array<() => void> = [];
  const afterPaint: AfterPaint = (callback) => {
    waiting.push(callback);
    return () => void (waiting = waiting.filter((c) => c !== callback));
  };
  return {
    afterPaint,
    pending: () => waiting.length,
    paint: () => {
      const now = waiting;
      waiting = [];
      for (const callback of now) callback();
    },
  };
}

describe('RowLimitController', () => {
  it('renders a screen of rows first, then grows a chunk per paint until the list is whole', () => {
    const { fake, requested } = host();
    const paint = painter();
    const rows = new RowLimitController(fake, () => 20, paint.afterPaint);
    expect(rows.limit).toBe(20);
    rows.rendered(500);
    // Nothing grows before the first screen was painted.
    expect(rows.limit).toBe(20);
    expect(requested.count).toBe(0);
    // Rendering again before that paint asks for no second chunk.
    rows.rendered(500);
    expect(paint.pending()).toBe(1);
    paint.paint();
    expect(rows.limit).toBe(20 + ROWS_PER_CHUNK);
    expect(requested.count).toBe(1);
    for (let i = 0; i < 10 && rows.limit < 500; i++) {
      rows.rendered(500);
      paint.paint();
    }
    expect(rows.limit).toBeGreaterThanOrEqual(500);
    rows.rendered(500);
    expect(paint.pending()).toBe(0);
  });

  it('stops growing when the host leaves the page and goes on when it comes back', () => {
    const { fake, controllers, requested } = host();
    const paint = painter();
    const rows = new RowLimitController(fake, () => 20, paint.afterPaint);
    rows.rendered(1000);
    for (const controller of controllers) controller.hostDisconnected?.();
    paint.paint();
    expect(rows.limit).toBe(20);
    for (const controller of controllers) controller.hostConnected?.();
    expect(requested.count).toBe(1);
  });

  it('starts from a screen again for another list', () => {
    const { fake } = host();
    const paint = painter();
    const rows = new RowLimitController(fake, () => 20, paint.afterPaint);
    rows.rendered(1000);
    paint.paint();
    rows.rendered(1000);
    rows.restart();
    paint.paint();
    expect(rows.limit).toBe(20);
  });

  it('sizes the first render to the screen, with a floor', () => {
    expect(firstRowsFor(800)).toBe(Math.ceil(800 / 56) + 4);
    expect(firstRowsFor(2160)).toBeGreaterThan(2160 / 60);
    expect(firstRowsFor(0)).toBe(12);
  });
});
