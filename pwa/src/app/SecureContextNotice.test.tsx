/** On plain HTTP across the LAN the app says what is off and how to get it; on a secure page it says nothing. */
import { afterEach, expect, test } from "bun:test";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render as renderBare } from "@testing-library/react";
import type { ReactElement } from "react";
import { useMachine } from "../connection/machine-store.ts";
import { SecureContextNotice } from "./SecureContextNotice.tsx";

let queries = new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false } } });
const render = (ui: ReactElement) => renderBare(<QueryClientProvider client={queries}>{ui}</QueryClientProvider>);

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  queries = new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false } } });
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

test("plain HTTP, and the machine has a secure address that resolves: the app offers to move there", () => {
  secure(false);
  useMachine.setState({ pairing: "paired" });
  const origin = "https://192-168-1-20.abcdefghijklmnopqrstuvwxyz.home.brewos.example:8443";
  queries.setQueryData(["lan-https"], { state: "valid", name_check: "ok", origin });
  const v = render(<SecureContextNotice />);
  const note = v.getByRole("complementary", { name: "A secure address for this machine" });
  expect(note.textContent).toContain("192-168-1-20.abcdefghijklmnopqrstuvwxyz.home.brewos.example:8443");
  expect(v.getByRole("button", { name: "Move the app there" })).toBeTruthy();
  cleanup();
  // A name the router hides is not offered: the usual notice instead.
  queries.setQueryData(["lan-https"], { state: "valid", name_check: "rebinding_suspected", origin });
  expect(render(<SecureContextNotice />).queryByRole("button", { name: "Move the app there" })).toBeNull();
});
