/** @module Run a machine command from a screen: busy while waiting, the hub's reason when refused. */
import { useCallback, useState } from "react";
import type { CommandResult } from "../connection/hub-client.ts";
import { sendCommand } from "../connection/machine-store.ts";

export function useCommand() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (command: Record<string, unknown>): Promise<CommandResult> => {
    setBusy(true);
    setError(null);
    try {
      const r = await sendCommand(command);
      if (!r.ok) setError(r.message ?? r.code ?? "the machine refused");
      return r;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error };
}
