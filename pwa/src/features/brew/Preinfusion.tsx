/**
 * The quick pre-infusion adjust on the Brew screen. The machine's own shot pre-infuses for the
 * controller's "Pre-infusion: pump on" setting, changed here in seconds; a profile brings its own
 * pre-infusion, which this says (its first phase) and leaves to the profile editor.
 */
import type { Profile } from "@brewos/protocol/profile";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "../../app/router.tsx";
import { t } from "../../i18n/i18n.ts";
import { hubApi } from "../../shared/hub-api.ts";
import { useHubSettings } from "../../shared/use-hub-settings.ts";

const KEY = "preinfusion_on_ms";

export function Preinfusion({ profile, disabled }: { profile: Profile | null; disabled: boolean }) {
  const keys = useQuery({ queryKey: ["controller-keys"], queryFn: hubApi.controllerKeys });
  const { save, status } = useHubSettings();
  const [draft, setDraft] = useState<string | null>(null);
  if (profile) {
    const first = profile.phases[0];
    return (
      <p className="muted small">
        {first
          ? t("Pre-infusion is part of “{name}” (its first phase, “{phase}”):", { name: profile.name, phase: first.name })
          : t("Pre-infusion is part of “{name}”:", { name: profile.name })}{" "}
        <Link href="/profiles">{t("change it in Profiles")}</Link>.
      </p>
    );
  }
  const key = keys.data?.keys.find((k) => k.name === KEY);
  if (!key) return null;
  const shown = draft ?? String(key.value / 1000);
  const seconds = Number(shown);
  const bad = shown.trim() === "" || !Number.isFinite(seconds) || seconds * 1000 < key.min || seconds * 1000 > key.max;
  return (
    <div className="row wrap">
      <label>
        {t("Pre-infusion (s)")}
        <input
          type="number"
          inputMode="decimal"
          step={0.5}
          min={key.min / 1000}
          max={key.max / 1000}
          value={shown}
          disabled={disabled}
          aria-invalid={bad || undefined}
          onChange={(e) => setDraft(e.target.value)}
        />
      </label>
      <button
        type="button"
        disabled={disabled || bad || draft === null}
        onClick={() => save({ controller: { [KEY]: Math.round(seconds * 1000) } }, { onSuccess: () => setDraft(null) })}
      >
        {t("Set")}
      </button>
      <span className="muted small" role="status">
        {bad
          ? t("from {lo} to {hi} s", { lo: key.min / 1000, hi: key.max / 1000 })
          : (status ?? t("the machine's own shot wets the puck this long first"))}
      </span>
    </div>
  );
}
