/**
 * The controller's firmware (docs/controller-updates.md): what runs, what this hub carries and its
 * notes, an update button with progress, and what happened last — a rollback in plain words. An
 * incompatible controller (the hub refuses to heat with it) says so and offers the fix.
 */
import type { ControllerFirmware as Firmware } from "@brewos/protocol/api";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useMachine } from "../../connection/machine-store.ts";
import { t } from "../../i18n/i18n.ts";
import { hubApi } from "../../shared/hub-api.ts";

const kib = (bytes: number) => Math.round(bytes / 1024);

function phaseText(u: Firmware["update"]): string {
  switch (u.phase) {
    case "sending":
      return t("Sending {version}: {sent} of {size} KB", { version: u.version ?? "", sent: kib(u.sent_bytes), size: kib(u.size) });
    case "verifying":
      return t("The controller checks the whole image…");
    case "rebooting":
      return t("The controller restarts into the new firmware…");
    case "confirming":
      return t("The new firmware tests itself before it stays…");
    default:
      return "";
  }
}

/** The app's own words for the outcomes it knows; the hub's sentence for the rest. */
function reason(last: NonNullable<Firmware["last"]>): string {
  switch (last.code) {
    case "selftest_failed":
      return t("The new firmware failed its self-test on this controller, so the controller went back.");
    case "rolled_back":
      return t("The new firmware did not confirm itself within its trial (it did not hear the hub), so the boot ROM went back.");
    default:
      return last.message;
  }
}

function LastOutcome({ last }: { last: NonNullable<Firmware["last"]> }) {
  if (last.outcome === "confirmed") return <p role="status">{t("Updated to {version}.", { version: last.version })}</p>;
  return (
    <div className="notice" role="alert">
      <p>
        <strong>
          {last.outcome === "rolled_back"
            ? t("The update to {version} was rolled back.", { version: last.version })
            : t("The update to {version} did not happen.", { version: last.version })}
        </strong>{" "}
        {reason(last)}
      </p>
      <p className="muted small">{t("The previous firmware runs and the machine is safe to use.")}</p>
    </div>
  );
}

export function ControllerFirmware() {
  const pushed = useMachine((s) => s.firmware);
  const q = useQuery({
    queryKey: ["controller-firmware"],
    queryFn: hubApi.controllerFirmware,
    refetchInterval: (query) => ((query.state.data?.update.phase ?? "idle") === "idle" ? false : 2000),
  });
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const f = pushed ?? q.data;
  if (!f) return <p className="muted">{q.isError ? (q.error as Error).message : t("Asking the hub…")}</p>;
  const act = async (call: () => Promise<Firmware>) => {
    setAsking(true);
    setError(null);
    try {
      client.setQueryData(["controller-firmware"], await call());
      useMachine.setState({ firmware: null }); // the answer is newer than the last push
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setAsking(false);
    }
  };
  const u = f.update;
  const busy = u.phase !== "idle";
  return (
    <div className="controller-firmware">
      <p>
        {t("Running:")} <strong>{f.running?.version ?? t("unknown")}</strong>
        {f.running?.boot === "trial" && <span className="muted"> {t("(on trial)")}</span>}
      </p>
      {!f.compatible && f.link_problem && (
        <div className="notice" role="alert">
          <p>
            <strong>{t("The machine does not heat with this controller firmware.")}</strong> {f.link_problem}
          </p>
          <p className="muted small">{t("Update the controller to the version this hub carries.")}</p>
        </div>
      )}
      {f.available ? (
        <>
          <p>
            {t("This hub carries {version}", { version: f.available.version })}
            {f.available.newer ? "." : ` — ${t("up to date.")}`}
          </p>
          {f.available.notes && <p className="muted small release-notes">{f.available.notes}</p>}
        </>
      ) : (
        !f.release_problem && <p className="muted">{t("This hub carries no controller firmware.")}</p>
      )}
      {f.release_problem && (
        <p className="error">{t("The firmware on this hub cannot be used: {why}", { why: f.release_problem.message })}</p>
      )}
      {busy ? (
        <div className="row wrap">
          <label className="grow">
            {phaseText(u)}
            <progress max={u.size || 1} value={u.phase === "sending" ? u.sent_bytes : u.size || 1} />
          </label>
          {(u.phase === "sending" || u.phase === "verifying") && (
            <button type="button" disabled={asking} onClick={() => act(hubApi.abortControllerUpdate)}>
              {t("Cancel")}
            </button>
          )}
        </div>
      ) : (
        f.available?.newer && (
          <button type="button" disabled={asking} onClick={() => act(hubApi.updateController)}>
            {t("Update the controller to {version}", { version: f.available.version })}
          </button>
        )
      )}
      {(busy || f.available?.newer) && (
        <p className="muted small">
          {t(
            "The heaters stay off while it updates (about a minute). A power cut cannot break it: the old firmware stays until the new one works.",
          )}
        </p>
      )}
      {error && <p className="error">{error}</p>}
      {!busy && f.last && <LastOutcome last={f.last} />}
    </div>
  );
}
