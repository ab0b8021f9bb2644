/**
 * @module BLE scales: one codec module per family (facts in peers.md §3), the rule that picks a
 * family by advertised name, the transport seam, and the connection manager the hub and the app share.
 */
export * from "./families.ts";
export * from "./family.ts";
export * from "./manager.ts";
export * from "./transport.ts";
