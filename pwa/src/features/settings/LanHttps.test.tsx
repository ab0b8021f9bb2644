/** "HTTPS at home": the secure address and certificate dates, or the router steps when the name is blocked. */
import { afterEach, expect, test } from "bun:test";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render } from "@testing-library/react";
import { LanHttps } from "./LanHttps.tsx";

afterEach(cleanup);

const ZONE = "home.brewos.example";
const ORIGIN = `https://192-168-1-20.abcdefghijklmnopqrstuvwxyz.${ZONE}:8443`;

function show(data: object) {
  const q = new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false } } });
  q.setQueryData(["lan-https"], data);
  return render(
    <QueryClientProvider client={q}>
      <LanHttps />
    </QueryClientProvider>,
  );
}

const valid = {
  state: "valid",
  zone: ZONE,
  name: `*.abcdefghijklmnopqrstuvwxyz.${ZONE}`,
  origin: ORIGIN,
  not_after_ms: Date.UTC(2027, 0, 30),
  renew_at_ms: Date.UTC(2027, 0, 10),
  last_error: null,
};

test("with a certificate that resolves: the secure address, its name and dates", () => {
  const v = show({ ...valid, name_check: "unchecked" });
  expect(v.getByRole("link").getAttribute("href")).toBe(ORIGIN);
  expect(v.getByText(/Certificate \*\.abcdefghijklmnopqrstuvwxyz\.home\.brewos\.example, valid until/)).toBeTruthy();
  expect(v.queryByText("Your router hides this address.")).toBeNull();
});

test("a router blocking private answers: the exact steps for the common ones, with the zone filled in", () => {
  const v = show({ ...valid, name_check: "rebinding_suspected" });
  expect(v.getByText("Your router hides this address.")).toBeTruthy();
  expect(v.getByText(`rebind-domain-ok=/${ZONE}/`)).toBeTruthy();
  expect(v.getByText(`private-domain: "${ZONE}"`)).toBeTruthy();
  expect(v.getByText(new RegExp(`FRITZ!Box: .*DNS Rebind Protection: add ${ZONE.replaceAll(".", "\\.")}`))).toBeTruthy();
});

test("off, or failing: says so and why", () => {
  expect(show({ state: "off" }).getByText(/Off: the machine gets a trusted address/)).toBeTruthy();
  cleanup();
  expect(show({ state: "failed", last_error: "the relay refused the DNS record: too_fast" }).getByText(/too_fast/)).toBeTruthy();
});
