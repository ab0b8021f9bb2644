/** The controller firmware card: versions and notes, the update's progress, a rollback and an incompatible controller in words. */
import { afterEach, expect, test } from "bun:test";
import type { ControllerFirmware as Firmware } from "@brewos/protocol/api";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render } from "@testing-library/react";
import { useMachine } from "../../connection/machine-store.ts";
import { ControllerFirmware } from "./ControllerFirmware.tsx";

afterEach(() => {
  cleanup();
  useMachine.setState({ firmware: null });
});

function show(firmware: Firmware) {
  useMachine.setState({ firmware });
  const q = new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false } } });
  return render(
    <QueryClientProvider client={q}>
      <ControllerFirmware />
    </QueryClientProvider>,
  );
}

const base: Firmware = {
  running: { version: "0.1.0", proto_major: 1, boot: "confirmed" },
  compatible: true,
  link_problem: null,
  available: { version: "0.2.0", notes: "Steadier steam boiler.", newer: true, size: 24640 },
  release_problem: null,
  update: { phase: "idle", version: null, sent_bytes: 0, size: 0 },
  last: null,
};

test("a newer release: both versions, its notes and the update button", () => {
  const v = show(base);
  expect(v.getByText("0.1.0")).toBeTruthy();
  expect(v.getByText("This hub carries 0.2.0.")).toBeTruthy();
  expect(v.getByText("Steadier steam boiler.")).toBeTruthy();
  expect(v.getByRole("button", { name: "Update the controller to 0.2.0" })).toBeTruthy();
  expect(v.getByText(/The heaters stay off while it updates/)).toBeTruthy();
});

test("while sending: a progress bar in bytes and a cancel button; no update button", () => {
  const v = show({ ...base, update: { phase: "sending", version: "0.2.0", sent_bytes: 12288, size: 24640 } });
  const bar = v.getByRole("progressbar") as HTMLProgressElement;
  expect([bar.value, bar.max]).toEqual([12288, 24640]);
  expect(v.getByText(/Sending 0\.2\.0: 12 of 24 KB/)).toBeTruthy();
  expect(v.getByRole("button", { name: "Cancel" })).toBeTruthy();
  expect(v.queryByRole("button", { name: /Update the controller/ })).toBeNull();
  act(() =>
    useMachine.setState({ firmware: { ...base, update: { phase: "confirming", version: "0.2.0", sent_bytes: 24640, size: 24640 } } }),
  );
  expect(v.getByText("The new firmware tests itself before it stays…")).toBeTruthy();
  expect(v.queryByRole("button", { name: "Cancel" })).toBeNull();
});

test("a rollback is said plainly, with the controller's reason; a success is one line", () => {
  const v = show({
    ...base,
    last: {
      outcome: "rolled_back",
      version: "0.2.0",
      code: "selftest_failed",
      message: "the new firmware failed its self-test and the controller went back",
      at: 1,
    },
  });
  expect(v.getByRole("alert").textContent).toContain("The update to 0.2.0 was rolled back.");
  expect(v.getByText(/failed its self-test/)).toBeTruthy();
  expect(v.getByText("The previous firmware runs and the machine is safe to use.")).toBeTruthy();
  cleanup();
  const ok = show({
    ...base,
    running: { version: "0.2.0", proto_major: 1, boot: "confirmed" },
    available: { version: "0.2.0", notes: "Steadier steam boiler.", newer: false, size: 24640 },
    last: { outcome: "confirmed", version: "0.2.0", code: "ok", message: "", at: 2 },
  });
  expect(ok.getByText("Updated to 0.2.0.")).toBeTruthy();
  expect(ok.getByText("This hub carries 0.2.0 — up to date.")).toBeTruthy();
  expect(ok.queryByRole("button", { name: /Update the controller/ })).toBeNull();
});

test("an incompatible controller: no heat, why, and the update offered", () => {
  const v = show({
    ...base,
    running: { version: "0.1.0", proto_major: 2, boot: "confirmed" },
    compatible: false,
    link_problem: "the controller speaks protocol 2; this hub speaks 1",
  });
  expect(v.getByRole("alert").textContent).toContain("The machine does not heat with this controller firmware.");
  expect(v.getByText(/speaks protocol 2/)).toBeTruthy();
  expect(v.getByRole("button", { name: "Update the controller to 0.2.0" })).toBeTruthy();
});

test("a release the hub cannot use: the reason, and no button", () => {
  const v = show({
    ...base,
    available: null,
    release_problem: { code: "bad_signature", message: "the release is not signed by a trusted key" },
  });
  expect(v.getByText(/cannot be used: the release is not signed by a trusted key/)).toBeTruthy();
  expect(v.queryByRole("button")).toBeNull();
});
