/** @module Profile terms in the owner's language: modes, curves, and why a machine cannot run one. */
import type { ProfileCurve, ProfileFit, ProfileMode } from "@brewos/protocol/profile";
import { t } from "../../i18n/i18n.ts";

export const modeWords = (m: ProfileMode): string => ({ pressure: t("pressure"), flow: t("flow"), power: t("pump power") })[m];

export const curveWords = (c: ProfileCurve): string =>
  ({ instant: t("instant"), linear: t("linear"), ease_in: t("ease in"), ease_out: t("ease out"), ease_in_out: t("ease in and out") })[c];

/** Why this machine cannot follow the profile, in words (see profileFit). */
export function fitReason(fit: ProfileFit): string {
  const p = fit.problem;
  if (!p) return fit.reason ?? "";
  const what =
    p.kind === "pressure"
      ? t("holds {v} bar of pressure", { v: p.to })
      : p.kind === "flow"
        ? t("holds a flow of {v} ml/s", { v: p.to })
        : p.kind === "power"
          ? t("runs the pump at {v} %", { v: p.to })
          : t("ramps the pump from {from} % to {to} %", { from: p.from ?? 0, to: p.to });
  return t("Phase {n} (“{name}”) {what}; this machine's pump can only be switched on or off.", { n: p.phase + 1, name: p.name, what });
}
