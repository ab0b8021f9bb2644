/**
 * @module @brewos/protocol: every wire format shared by two BrewOS programs. Today: the controller
 * UART protocol (./uart), shot profiles (./profile) and BLE scale protocols (./ble; the Decent Scale
 * first). Hub API, sync and relay formats join here as they are built.
 */
export * as ble from "./ble/src/decent-scale.ts";
export * as profile from "./profile/src/index.ts";
export * as uart from "./uart/src/index.ts";
