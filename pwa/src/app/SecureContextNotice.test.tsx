/** On plain HTTP across the LAN the app says what is off and how to get it; on a secure page it says nothing. */
import { afterEach, expect, test } from "bun:test";
import { act, cleanup, render } from "@testing-library/react";
import { SecureContextNotice } from "./SecureContextNotice.tsx";

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

function secure(v: boolean) {
  Object.defineProperty(window, "isSecureContext", { value: v, configurable: true });
}

test("insecure page: a notice naming offline use, install and Bluetooth, with the HTTPS fix; dismissable", () => {
  secure(false);
  const v = render(<SecureContextNotice />);
  const note = v.getByRole("complementary", { name: "Limited features on this connection" });
  expect(note.textContent).toContain("Offline use, installing and Bluetooth are off");
  expect(note.textContent).toContain("HTTPS");
  // It names what exists: the hub's https settings or start flags (there is no "Settings → Network").
  expect(note.textContent).toContain("https.cert_path");
  expect(note.textContent).not.toContain("Network");
  act(() => v.getByRole("button", { name: "Got it" }).click());
  expect(v.queryByRole("complementary")).toBeNull();
});

test("secure page: nothing shown", () => {
  secure(true);
  const v = render(<SecureContextNotice />);
  expect(v.queryByRole("complementary")).toBeNull();
});
