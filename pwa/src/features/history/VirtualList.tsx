/**
 * A list that renders only the rows in view (plus a few), so 10 000 shots scroll as smoothly as 10.
 * Rows have one fixed height; the page scrolls, not an inner box, which keeps phones' native
 * scrolling and the browser's find-in-page for what is shown.
 */
import { type ReactNode, useEffect, useRef, useState } from "react";

export function VirtualList<T>({
  items,
  rowHeight,
  render,
  keyOf,
  overscan = 6,
  label,
}: {
  items: readonly T[];
  rowHeight: number;
  keyOf: (item: T) => string;
  render: (item: T, index: number) => ReactNode;
  overscan?: number;
  label: string;
}) {
  const box = useRef<HTMLUListElement>(null);
  const [range, setRange] = useState({ first: 0, last: 30 });
  useEffect(() => {
    const update = () => {
      const el = box.current;
      if (!el) return;
      const top = el.getBoundingClientRect().top;
      const first = Math.max(0, Math.floor(-top / rowHeight) - overscan);
      const last = Math.min(items.length, Math.ceil((window.innerHeight - top) / rowHeight) + overscan);
      setRange((r) => (r.first === first && r.last === last ? r : { first, last }));
    };
    update();
    window.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    return () => {
      window.removeEventListener("scroll", update);
      window.removeEventListener("resize", update);
    };
  }, [items.length, rowHeight, overscan]);
  const shown = items.slice(range.first, Math.max(range.first, range.last));
  return (
    <ul ref={box} className="vlist" aria-label={label} style={{ height: items.length * rowHeight }}>
      {shown.map((item, i) => (
        <li key={keyOf(item)} style={{ transform: `translateY(${(range.first + i) * rowHeight}px)`, height: rowHeight }}>
          {render(item, range.first + i)}
        </li>
      ))}
    </ul>
  );
}
