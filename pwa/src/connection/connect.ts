/**
 * @module Starts (or switches) the live connection to a hub and wires it to the machine store.
 */
import { HubClient } from "./hub-client.ts";
import { applySnapshot, setLastShot, setStatus, useMachine } from "./machine-store.ts";
import { type HubTransport, webSocketTransport } from "./transport.ts";

export function connectTo(hubUrl: string, transport: HubTransport = webSocketTransport(hubUrl)): HubClient {
  useMachine.getState().client?.close();
  const client = new HubClient(transport, {
    onStatus: setStatus,
    onSnapshot: applySnapshot,
    onAutotune: (autotune) => useMachine.setState({ autotune }),
    onShot: (shot) => {
      setLastShot(shot);
      window.dispatchEvent(new CustomEvent("brewos:shot-recorded", { detail: shot }));
    },
  });
  useMachine.setState({ client, snapshot: null });
  return client;
}
