/**
 * @module What every scale source announces — each reading, and the scale becoming usable (or not:
 * null) — kept in one place for the sources that extend it.
 */
import type { ScaleReading } from "./decent-scale.ts";

export class ScaleEvents<D> {
  private readonly readingListeners = new Set<(r: ScaleReading) => void>();
  private readonly changeListeners = new Set<(d: D | null) => void>();

  onReading(listener: (r: ScaleReading) => void): () => void {
    this.readingListeners.add(listener);
    return () => this.readingListeners.delete(listener);
  }

  /** Fires with the scale when it becomes usable and with null when it stops being so. */
  onChange(listener: (d: D | null) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  protected emitReading(r: ScaleReading): void {
    for (const l of this.readingListeners) l(r);
  }

  protected emitChange(d: D | null): void {
    for (const l of this.changeListeners) l(d);
  }
}
