/**
 * PID autotune: the controller swings the boiler around its setpoint with the heater on and off
 * (a relay test, a few minutes), measures the oscillation and proposes gains. They are shown next
 * to the gains in force and only used once you save them.
 */
import type { AutotuneResult } from "@brewos/protocol/api";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useMachine } from "../../connection/machine-store.ts";
import { decimal, t } from "../../i18n/i18n.ts";
import { tempDelta } from "../../shared/format.ts";
import { hubApi } from "../../shared/hub-api.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { useCommand } from "../../shared/use-command.ts";
import { useHubSettings } from "../../shared/use-hub-settings.ts";

const OUTCOME = (): Record<string, string> => ({
  aborted: t("it was stopped (a shot, a fault or a mode change)"),
  timeout: t("the boiler did not settle into a swing in time"),
  no_oscillation: t("the temperature did not swing enough to measure"),
});

export function Autotune() {
  const unit = usePreferences((p) => p.unit);
  const [boiler, setBoiler] = useState<"brew" | "steam">("brew");
  const [startedAt, setStartedAt] = useState(0);
  const pushed = useMachine((s) => s.autotune);
  const stored = useQuery({ queryKey: ["autotune"], queryFn: hubApi.autotune });
  const keys = useQuery({ queryKey: ["controller-keys"], queryFn: hubApi.controllerKeys });
  const { run, busy, error } = useCommand();
  const { save, saving, status } = useHubSettings();
  const client = useQueryClient();
  const newest = (a: AutotuneResult | null | undefined, b: AutotuneResult | null | undefined) =>
    !a ? b : !b ? a : a.at_ms >= b.at_ms ? a : b;
  const result = newest(pushed?.boiler === boiler ? pushed : null, stored.data?.[boiler]);
  const running = startedAt > 0 && (!result || result.at_ms < startedAt);
  const current = (k: string) => keys.data?.keys.find((x) => x.name === `${boiler}_${k}_milli`)?.value;
  return (
    <div className="autotune">
      <h3>{t("Autotune")}</h3>
      <div className="row wrap">
        <label>
          {t("Boiler")}
          <select value={boiler} onChange={(e) => setBoiler(e.target.value as "brew" | "steam")} disabled={running}>
            <option value="brew">{t("brew")}</option>
            <option value="steam">{t("steam")}</option>
          </select>
        </label>
        <button
          type="button"
          disabled={busy || running}
          onClick={async () => {
            const t = Date.now();
            const r = await run({ type: "start_autotune", boiler });
            if (r.ok) setStartedAt(t);
          }}
        >
          {t("Start autotune")}
        </button>
      </div>
      <p role="status" className={error ? "error" : "muted small"}>
        {error ??
          (running ? t("Running: the boiler's temperature swings around its setpoint for a few minutes. Keep the machine idle.") : "")}
      </p>
      {result && !running && (
        <div>
          {result.status === "ok" ? (
            <>
              <table className="phases">
                <caption className="sr-only">{t("Proposed gains for the {boiler} boiler", { boiler: t(boiler) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("Gain")}</th>
                    <th scope="col">{t("Proposed")}</th>
                    <th scope="col">{t("In force")}</th>
                  </tr>
                </thead>
                <tbody>
                  {(["kp", "ki", "kd"] as const).map((g) => (
                    <tr key={g}>
                      <td>{g.toUpperCase()}</td>
                      <td>{(result[`${g}_milli`] / 1000).toFixed(1)}</td>
                      <td>{current(g) === undefined ? "–" : ((current(g) as number) / 1000).toFixed(1)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="muted small">
                {t("Measured swing: {swing} every {period} s.", {
                  swing: `${decimal(tempDelta(result.amplitude_c, unit), 2)} °${unit}`,
                  period: result.period_s.toFixed(0),
                })}
              </p>
              <button
                type="button"
                className="primary"
                disabled={saving}
                onClick={() =>
                  save(
                    {
                      controller: {
                        [`${boiler}_kp_milli`]: result.kp_milli,
                        [`${boiler}_ki_milli`]: result.ki_milli,
                        [`${boiler}_kd_milli`]: result.kd_milli,
                      },
                    },
                    { onSuccess: () => void client.invalidateQueries({ queryKey: ["controller-keys"] }) },
                  )
                }
              >
                {t("Save these gains")}
              </button>{" "}
              <span role="status">{status}</span>
            </>
          ) : (
            <p className="error">{t("No gains this time: {why}.", { why: OUTCOME()[result.status] ?? result.status })}</p>
          )}
        </div>
      )}
    </div>
  );
}
