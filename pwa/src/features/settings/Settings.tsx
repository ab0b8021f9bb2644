/**
 * Settings: this device (units, theme, which hub), the machine's temperatures and limits (every
 * controller setting the hub exposes, checked by the hub against the controller's ranges; its
 * messages are shown per field), and the hub's own name.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { HubPicker } from "../../connection/HubPicker.tsx";
import { HubError, hubApi } from "../../shared/hub-api.ts";
import { usePreferences } from "../../shared/preferences.ts";

/** Controller keys as people read them (wire units are in the key name). */
function labelFor(key: string): string {
  const unit = /_(cdeg|ms|s|w|pct|pmil|mbar|ul|dg|min)$/.exec(key)?.[1];
  const words = key.replace(/_(cdeg|ms|s|w|pct|pmil|mbar|ul|dg|min)$/, "").replaceAll("_", " ");
  const units: Record<string, string> = {
    cdeg: "°C × 100",
    ms: "ms",
    s: "s",
    w: "W",
    pct: "%",
    pmil: "‰",
    mbar: "mbar",
    ul: "µl",
    dg: "g × 10",
    min: "min",
  };
  return `${words[0]?.toUpperCase() ?? ""}${words.slice(1)}${unit ? ` (${units[unit]})` : ""}`;
}

function MachineSettings() {
  const q = useQuery({ queryKey: ["settings"], queryFn: hubApi.settings });
  const client = useQueryClient();
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [state, setState] = useState<string | null>(null);
  if (q.isLoading) return <p className="muted">Loading the machine's settings…</p>;
  if (q.error) return <p className="error">Machine settings need the hub: {(q.error as Error).message}</p>;
  const values = q.data?.controller ?? {};
  const save = async () => {
    const controller: Record<string, number> = {};
    for (const [k, v] of Object.entries(draft)) controller[k] = Number(v);
    setIssues({});
    setState("Saving…");
    try {
      await hubApi.patchSettings({ controller });
      setDraft({});
      setState("Saved and sent to the machine");
      await client.invalidateQueries({ queryKey: ["settings"] });
    } catch (e) {
      if (e instanceof HubError && e.issues.length) {
        setIssues(Object.fromEntries(e.issues.map((i) => [i.path.replace(/^controller\./, ""), i.message])));
        setState("Not saved: fix the marked fields");
      } else setState(`Not saved: ${(e as Error).message}`);
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="form-grid">
        {Object.entries(values).map(([k, v]) => (
          <label key={k}>
            {labelFor(k)}
            <input
              type="number"
              name={k}
              value={draft[k] ?? String(v)}
              aria-invalid={issues[k] ? true : undefined}
              aria-describedby={issues[k] ? `${k}-issue` : undefined}
              onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
            />
            {issues[k] && (
              <span id={`${k}-issue`} className="error small">
                {issues[k]}
              </span>
            )}
          </label>
        ))}
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={Object.keys(draft).length === 0}>
          Save machine settings
        </button>
        <span aria-live="polite" className="muted">
          {state}
        </span>
      </div>
    </form>
  );
}

export default function Settings() {
  const p = usePreferences();
  return (
    <div className="stack">
      <section className="card" aria-label="This device">
        <h1>Settings</h1>
        <div className="form-grid">
          <label>
            Temperature unit
            <select value={p.unit} onChange={(e) => p.set({ unit: e.target.value as "C" | "F" })}>
              <option value="C">°C</option>
              <option value="F">°F</option>
            </select>
          </label>
          <label>
            Theme
            <select value={p.theme} onChange={(e) => p.set({ theme: e.target.value as "system" | "light" | "dark" })}>
              <option value="system">as the system</option>
              <option value="light">light</option>
              <option value="dark">dark</option>
            </select>
          </label>
        </div>
      </section>
      <section className="card" aria-label="Hub">
        <h2>Hub</h2>
        <HubPicker />
      </section>
      <section className="card" aria-label="Machine">
        <h2>Machine</h2>
        <MachineSettings />
      </section>
    </div>
  );
}
