/** The virtual list renders a window of rows, not all 10 000, and moves the window with the scroll. */
import { afterEach, expect, test } from "bun:test";
import { act, cleanup, render } from "@testing-library/react";
import { VirtualList } from "./VirtualList.tsx";

afterEach(cleanup);

test("10 000 items: only the rows in view (plus overscan) are in the DOM, and scrolling moves them", () => {
  Object.defineProperty(window, "innerHeight", { value: 800, configurable: true });
  const items = Array.from({ length: 10_000 }, (_, i) => `shot ${i}`);
  const view = render(
    <VirtualList items={items} rowHeight={72} overscan={4} label="Shots" keyOf={(s) => s} render={(s) => <span>{s}</span>} />,
  );
  const list = view.getByRole("list", { name: "Shots" });
  expect(list.style.height).toBe(`${10_000 * 72}px`);
  const first = view.getAllByRole("listitem");
  expect(first.length).toBeLessThan(25);
  expect(first[0]?.textContent).toBe("shot 0");
  // Scroll: the list's top moves up by 36 000 px (row 500).
  list.getBoundingClientRect = () => ({
    top: -36_000,
    bottom: 0,
    left: 0,
    right: 0,
    width: 0,
    height: 0,
    x: 0,
    y: -36_000,
    toJSON: () => ({}),
  });
  act(() => {
    window.dispatchEvent(new Event("scroll"));
  });
  const rows = view.getAllByRole("listitem").map((r) => r.textContent);
  expect(rows).toContain("shot 500");
  expect(rows).not.toContain("shot 0");
  expect(rows.length).toBeLessThan(25);
});
