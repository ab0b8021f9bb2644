import { expect, test } from "bun:test";
import { currentHubUrl, forgetMachine, knownMachines, normaliseHubUrl, rememberMachine } from "./hub-address.ts";

test("addresses people type become a hub origin; paths and junk are refused", () => {
  expect(normaliseHubUrl("192.168.1.20:8080")).toBe("http://192.168.1.20:8080");
  expect(normaliseHubUrl(" brewos.local ")).toBe("http://brewos.local");
  expect(normaliseHubUrl("https://hub.example:8443/")).toBe("https://hub.example:8443");
  expect(normaliseHubUrl("http://x/api")).toBeNull();
  expect(normaliseHubUrl("")).toBeNull();
  expect(normaliseHubUrl("http://[bad")).toBeNull();
});

test("machines are remembered newest first, the last one used is current, and can be forgotten", () => {
  localStorage.clear();
  expect(currentHubUrl()).toBe(location.origin);
  rememberMachine({ url: "http://a:8080", name: "Kitchen" });
  rememberMachine({ url: "http://b:8080", name: "Office" });
  rememberMachine({ url: "http://a:8080", name: "Kitchen" });
  expect(knownMachines().map((m) => m.name)).toEqual(["Kitchen", "Office"]);
  expect(currentHubUrl()).toBe("http://a:8080");
  forgetMachine("http://a:8080");
  expect(currentHubUrl()).toBe(location.origin);
  localStorage.setItem("brewos.machines", "{broken");
  expect(knownMachines()).toEqual([]);
});
