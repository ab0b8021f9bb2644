/**
 * @module @brewos/protocol: every wire format shared by two BrewOS programs. Today: the controller
 * UART protocol (./uart). Hub API, sync, relay and BLE scale formats join here as they are built.
 */
export * as profile from "./profile/src/index.ts";
export * as uart from "./uart/src/index.ts";
