/**
 * Problems the hub reports about itself, shown on every screen until they are fixed: a disk that
 * is full or nearly so (shots wait in memory), and stored settings it could not use as they were.
 */
import { useQuery } from "@tanstack/react-query";
import { useMachine } from "../connection/machine-store.ts";
import { t } from "../i18n/i18n.ts";
import { hubApi, hubDownload, hubFetch } from "../shared/hub-api.ts";

export function HubAlerts() {
  const connected = useMachine((m) => m.status === "connected");
  const health = useQuery({ queryKey: ["health"], queryFn: hubApi.health, refetchInterval: 30_000, enabled: connected });
  const h = health.data;
  if (!h) return null;
  const storage = h.storage;
  const problems = h.settings_problems ?? [];
  const safe = h.safe_mode ?? null;
  if ((!storage || storage.state === "ok") && problems.length === 0 && !safe) return null;
  return (
    <div className="notice" role="status">
      {safe && (
        <>
          <p>
            <strong>{t("Safe mode.")}</strong>{" "}
            {t("The hub could not open its history ({reason}). The machine works, but nothing is saved. The file is kept as it is.", {
              reason: safe.reason,
            })}
          </p>
          <p className="row wrap">
            <button
              type="button"
              onClick={() => void hubDownload("/api/safe-mode/export", "brewos-readable.ndjson").catch((e: Error) => alert(e.message))}
            >
              {t("Download what can be read")}
            </button>
            <button
              type="button"
              onClick={() => {
                if (
                  !window.confirm(
                    t("Move the damaged file aside (it is kept) and restart the hub with an empty history? You can then restore a backup."),
                  )
                )
                  return;
                void hubFetch("/api/safe-mode/start-fresh", { method: "POST", body: JSON.stringify({ confirm: "move_aside" }) }).catch(
                  (e: Error) => alert(e.message),
                );
              }}
            >
              {t("Start fresh")}
            </button>
          </p>
        </>
      )}
      {storage?.state === "full" && (
        <p>
          {t(
            "The hub's disk is full: the machine works, but new shots wait in memory ({n} so far) until there is space. Keep fewer shots in Settings, or free space on the hub.",
            {
              n: storage.shots_waiting ?? 0,
            },
          )}
        </p>
      )}
      {storage?.state === "low" && (
        <p>{t("The hub's disk is nearly full ({mb} MB free).", { mb: Math.round((storage.free_bytes ?? 0) / 1e6) })}</p>
      )}
      {problems.map((p) => (
        <p key={p.setting}>
          {t("Setting")} <code>{p.setting}</code>: {p.message}
        </p>
      ))}
    </div>
  );
}
