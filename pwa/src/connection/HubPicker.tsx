/**
 * Choosing the hub: the address typed by the person (checked by asking it for /api/info), the
 * page's own origin, `brewos.local`, every machine used before — or, with no network, Bluetooth.
 */
import { lazy, Suspense, useState } from "react";
import { t } from "../i18n/i18n.ts";
import { ErrorLine } from "../shared/ErrorLine.tsx";
import { hasWebBluetooth } from "./bluetooth/has-web-bluetooth.ts";
import { connectTo } from "./connect.ts";
import { currentHubUrl, FALLBACK_HUB, forgetMachine, knownMachines, normaliseHubUrl, rememberMachine } from "./hub-address.ts";

const BleSetup = lazy(() => import("./bluetooth/BleSetup.tsx"));

async function probe(url: string): Promise<string> {
  const ctl = new AbortController();
  const t = setTimeout(() => ctl.abort(), 4000);
  try {
    const r = await fetch(`${url}/api/info`, { signal: ctl.signal });
    if (!r.ok) throw new Error(`answered ${r.status}`);
    const info = (await r.json()) as { hub?: { name?: string } };
    if (!info.hub) throw new Error("that is not a BrewOS hub");
    return info.hub.name ?? "BrewOS";
  } finally {
    clearTimeout(t);
  }
}

export function HubPicker() {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [machines, setMachines] = useState(knownMachines());
  const use = async (url: string) => {
    setBusy(true);
    setError(null);
    try {
      const name = await probe(url);
      rememberMachine({ url, name });
      setMachines(knownMachines());
      connectTo(url);
    } catch (e) {
      setError(
        t("No hub answered at {url}: {why}.", {
          url,
          why: (e as Error).message === "The operation was aborted." ? t("no answer within 4 s") : (e as Error).message,
        }),
      );
    } finally {
      setBusy(false);
    }
  };
  const current = currentHubUrl();
  const [bluetooth, setBluetooth] = useState(false);
  return (
    <div className="hub-picker">
      {hasWebBluetooth() &&
        (bluetooth ? (
          <Suspense fallback={<p className="muted">{t("Loading…")}</p>}>
            <BleSetup />
          </Suspense>
        ) : (
          <button type="button" className="quiet" onClick={() => setBluetooth(true)}>
            {t("No network? Connect over Bluetooth")}
          </button>
        ))}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const url = normaliseHubUrl(text);
          if (!url) setError(t("Type the hub's address, like 192.168.1.20:8080 or brewos.local."));
          else void use(url);
        }}
      >
        <label htmlFor="hub-address">{t("Hub address")}</label>
        <div className="row">
          <input
            id="hub-address"
            value={text}
            placeholder={current}
            onChange={(e) => setText(e.target.value)}
            inputMode="url"
            autoComplete="url"
          />
          <button type="submit" disabled={busy}>
            {t("Connect")}
          </button>
        </div>
        <ErrorLine text={error} />
      </form>
      <div className="row wrap">
        <button type="button" className="quiet" disabled={busy} onClick={() => void use(location.origin)}>
          {t("This page's hub")}
        </button>
        <button type="button" className="quiet" disabled={busy} onClick={() => void use(FALLBACK_HUB)}>
          {t("Try brewos.local")}
        </button>
      </div>
      {machines.length > 0 && (
        <ul className="machines" aria-label={t("Machines used before")}>
          {machines.map((m) => (
            <li key={m.url}>
              <button type="button" className="quiet" onClick={() => void use(m.url)} aria-current={m.url === current ? "true" : undefined}>
                {m.name} <span className="muted">{m.url}</span>
              </button>
              <button
                type="button"
                className="quiet"
                aria-label={t("Forget {name} at {url}", { name: m.name, url: m.url })}
                onClick={() => {
                  forgetMachine(m.url);
                  setMachines(knownMachines());
                }}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
