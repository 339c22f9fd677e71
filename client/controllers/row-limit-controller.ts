/**
 * How many rows of a long list are rendered now (issue 12). The first render
 * holds only what a screen shows, and the rest follow a chunk at a time,
 * each after the browser has painted what is there: a list of 1,000 shows
 * its first screen without paying for the 1,000th row, and without the
 * first chunk's growth running in the frame that would paint the first screen.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Rows a chunk adds once the previous chunk was painted. */
export const ROWS_PER_CHUNK = 200;
/** A row is at least 60 px high; rows past the screen's height are not needed for the first paint. */
const MIN_ROW_HEIGHT_PX = 56;
/** Rows below the fold, so a quick first scroll still finds rows. */
const SPARE_ROWS = 4;
/** Never fewer than this, whatever the window reports (e.g. 0 in a hidden frame). */
const MIN_FIRST_ROWS = 12;

/** Rows the first render holds for a screen `screenHeight` px high. */
export function firstRowsFor(screenHeight: number): number {
  return Math.max(MIN_FIRST_ROWS, Math.ceil(screenHeight / MIN_ROW_HEIGHT_PX) + SPARE_ROWS);
}

/** Runs `callback` once the next frame has been painted; returns how to cancel it. */
export type AfterPaint = (callback: () => void) => () => void;

/**
 * A frame, then a task: rAF callbacks run before the frame's paint, so a
 * chunk rendered there would delay the paint of the rows before it.
 */
export const afterNextPaint: AfterPaint = (callback) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(callback, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
};

export class RowLimitController implements ReactiveController {
  /** Rows to render now. */
  limit: number;
  private cancel: (() => void) | undefined;
  private total = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly firstRows: () => number = () => firstRowsFor(window.innerHeight),
    private readonly afterPaint: AfterPaint = afterNextPaint,
  ) {
    this.limit = firstRows();
    host.addController(this);
  }

  /** After the host rendered `total` rows' worth of list: the next chunk once this one is painted. */
  rendered(total: number): void {
    this.total = total;
    if (this.limit >= total || this.cancel) return;
    this.cancel = this.afterPaint(() => {
      this.cancel = undefined;
      this.limit += ROWS_PER_CHUNK;
      this.host.requestUpdate();
    });
  }

  /** Another list takes this one's place (e.g. the archived section): it starts from its first screen too. */
  restart(): void {
    this.stop();
    this.limit = this.firstRows();
    this.host.requestUpdate();
  }

  hostConnected(): void {
    // Moved in the page while it was growing: go on growing.
    if (this.limit < this.total) this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.stop();
  }

  private stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }
}
