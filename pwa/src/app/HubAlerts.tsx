/**
 * Problems the hub reports about itself, shown on every screen until they are fixed: a disk that
 * is full or nearly so (shots wait in memory), and stored settings it could not use as they were.
 */
import { useQuery } from "@tanstack/react-query";
import { useMachine } from "../connection/machine-store.ts";
import { hubApi } from "../shared/hub-api.ts";

export function HubAlerts() {
  const connected = useMachine((m) => m.status === "connected");
  const health = useQuery({ queryKey: ["health"], queryFn: hubApi.health, refetchInterval: 30_000, enabled: connected });
  const h = health.data;
  if (!h) return null;
  const storage = h.storage;
  const problems = h.settings_problems ?? [];
  if ((!storage || storage.state === "ok") && problems.length === 0) return null;
  return (
    <div className="notice" role="status">
      {storage?.state === "full" && (
        <p>
          The hub's disk is full: the machine works, but new shots wait in memory
          {storage.shots_waiting ? ` (${storage.shots_waiting} so far)` : ""} until there is space. Keep fewer shots in Settings, or free
          space on the hub.
        </p>
      )}
      {storage?.state === "low" && <p>The hub's disk is nearly full ({Math.round((storage.free_bytes ?? 0) / 1e6)} MB free).</p>}
      {problems.map((p) => (
        <p key={p.setting}>
          Setting <code>{p.setting}</code>: {p.message}
        </p>
      ))}
    </div>
  );
}
