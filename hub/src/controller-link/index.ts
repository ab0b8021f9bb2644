/** @module Controller link: transports and the supervisor the rest of the hub talks through. */
export * from "./backoff.ts";
export * from "./controller-link.ts";
export * from "./transport.ts";
export * from "./transports/spawned-sim.ts";
export * from "./transports/tcp.ts";
export * from "./transports/tty.ts";
