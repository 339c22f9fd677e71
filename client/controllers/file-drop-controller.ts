/**
 * Files dropped on a host (pictures on a conversation): while files are
 * dragged over it, `dragging` is true so the host can show where to drop;
 * a drop hands the files on. A file dropped anywhere else in the window is
 * refused, so the browser does not leave the app to show it.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

interface FileDropOptions {
  /** Whether the host takes files now (e.g. a conversation is open). */
  accepts: () => boolean;
  onFiles: (files: FileList) => void;
}

export class FileDropController implements ReactiveController {
  /** Files are being dragged over the host. */
  dragging = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: FileDropOptions,
  ) {
    host.addController(this);
  }

  /** Where this controller listens, for what: one list, so disconnecting removes exactly what connecting added. */
  private listeners(): Array<[EventTarget, string, (event: DragEvent) => void]> {
    return [
      [this.host, 'dragover', this.onDragOver],
      [this.host, 'dragleave', this.onDragLeave],
      [this.host, 'drop', this.onDrop],
      [window, 'dragover', this.refuseFileDrop],
      [window, 'drop', this.refuseFileDrop],
    ];
  }

  hostConnected(): void {
    for (const [target, type, listener] of this.listeners()) target.addEventListener(type, listener as EventListener);
  }

  hostDisconnected(): void {
    for (const [target, type, listener] of this.listeners()) target.removeEventListener(type, listener as EventListener);
    this.setDragging(false);
  }

  private setDragging(dragging: boolean): void {
    if (dragging === this.dragging) return;
    this.dragging = dragging;
    this.host.requestUpdate();
  }

  private readonly onDragOver = (event: DragEvent) => {
    if (!this.options.accepts() || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.setDragging(true);
  };

  /** The host's own handlers ran first (they prevent the default): what is left fell beside it. */
  private readonly refuseFileDrop = (event: DragEvent) => {
    if (event.defaultPrevented || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'none';
  };

  private readonly onDragLeave = (event: DragEvent) => {
    // Leaving for a child is not leaving the host.
    const to = event.relatedTarget;
    const host = this.host;
    if (to instanceof Node && (to === host || host.contains(to) || host.shadowRoot?.contains(to))) return;
    this.setDragging(false);
  };

  private readonly onDrop = (event: DragEvent) => {
    this.setDragging(false);
    const files = event.dataTransfer?.files;
    if (!files || files.length === 0 || !this.options.accepts()) return;
    event.preventDefault();
    this.options.onFiles(files);
  };
}
