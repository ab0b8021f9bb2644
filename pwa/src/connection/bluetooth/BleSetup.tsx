/**
 * Setting up a machine over Bluetooth (docs/api/ble.md): the chooser, what the machine says about
 * itself, pairing with the code on its display, then — inside the encrypted channel — its Wi-Fi,
 * and the choice to go on over Wi-Fi (at the address it got) or over Bluetooth. Loaded on demand.
 */
import type { BrewosBleInfo } from "@brewos/protocol/ble/brewos-service";
import { useState } from "react";
import { t } from "../../i18n/i18n.ts";
import { ErrorLine } from "../../shared/ErrorLine.tsx";
import { connectTo } from "../connect.ts";
import { type Credentials, credentialsFor, saveCredentials } from "../credentials.ts";
import { rememberMachine } from "../hub-address.ts";
import { BleHub } from "./ble-hub.ts";

interface Network {
  ssid: string;
  signal_pct: number;
  secure: boolean;
  in_use: boolean;
}

type Step =
  | { at: "start" }
  | { at: "pair"; hub: BleHub; info: BrewosBleInfo }
  | {
      at: "wifi";
      hub: BleHub;
      info: BrewosBleInfo;
      creds: Credentials;
      networks: Network[] | null;
      joined: { ssid: string; address: string | null } | null;
    };

const bluetoothUrl = (deviceId: string) => `bluetooth:${deviceId}`;

export default function BleSetup() {
  const [step, setStep] = useState<Step>({ at: "start" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState("");
  const [phoneName, setPhoneName] = useState(t("My phone"));
  const [ssid, setSsid] = useState("");
  const [password, setPassword] = useState("");

  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const toWifi = async (hub: BleHub, info: BrewosBleInfo, creds: Credentials) => {
    await hub.openChannel(creds);
    const scan = await hub.request("GET", "/api/network/wifi");
    const networks = scan.status === 200 ? (scan.body.networks as Network[]) : null;
    setStep({ at: "wifi", hub, info, creds, networks, joined: null });
    setSsid(networks?.find((n) => n.in_use)?.ssid ?? networks?.[0]?.ssid ?? "");
  };

  if (step.at === "start")
    return (
      <div className="ble-setup">
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              const hub = await BleHub.choose();
              const info = await hub.info();
              hub.remember(info.device_id);
              const creds = credentialsFor(bluetoothUrl(info.device_id));
              if (creds) await toWifi(hub, info, creds);
              else setStep({ at: "pair", hub, info });
            })
          }
        >
          {t("Set up over Bluetooth")}
        </button>
        <p className="muted">
          {t("For a new machine, or when the Wi-Fi is down. iPhones have no Web Bluetooth: use the QR code instead.")}
        </p>
        <ErrorLine text={error} />
      </div>
    );

  if (step.at === "pair")
    return (
      <form
        className="ble-setup"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const creds = await step.hub.pair(code, phoneName, step.info);
            saveCredentials(bluetoothUrl(step.info.device_id), creds);
            await toWifi(step.hub, step.info, creds);
          });
        }}
      >
        <p data-testid="ble-machine">
          {step.info.setup === "setup"
            ? t("{name}: a new machine, over Bluetooth.", { name: step.info.name })
            : t("{name}, over Bluetooth.", { name: step.info.name })}
        </p>
        <label htmlFor="ble-code">{t("Pairing code (on the machine's display)")}</label>
        <input id="ble-code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" placeholder="7KQ2-M9XD" />
        <label htmlFor="ble-phone">{t("Name of this phone")}</label>
        <input id="ble-phone" value={phoneName} onChange={(e) => setPhoneName(e.target.value)} />
        <button type="submit" disabled={busy || code.trim().length < 8}>
          {t("Pair")}
        </button>
        <ErrorLine text={error} />
      </form>
    );

  const { hub, info, creds, networks, joined } = step;
  const goBluetooth = () => {
    connectTo(bluetoothUrl(info.device_id), hub.transport(), "bluetooth");
  };
  const goWifi = (address: string) => {
    const url = `http://${address}${info.http_port ? `:${info.http_port}` : ""}`;
    saveCredentials(url, creds);
    rememberMachine({ url, name: info.name });
    hub.close();
    connectTo(url);
  };
  return (
    <div className="ble-setup">
      <p data-testid="ble-paired">{t("Paired with {name}. Everything from here on is encrypted.", { name: info.name })}</p>
      {joined ? (
        <p data-testid="ble-wifi-joined">
          {joined.address
            ? t("Joined {ssid}. The machine is at {address}.", { ssid: joined.ssid, address: joined.address })
            : t("Joined {ssid}.", { ssid: joined.ssid })}
        </p>
      ) : networks ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const secure = networks.find((n) => n.ssid === ssid)?.secure ?? true;
              const r = await hub.request("POST", "/api/network/wifi", { ssid, ...(secure ? { password } : {}) });
              if (r.status !== 200) throw new Error(String((r.body.error as { message?: string } | undefined)?.message ?? r.status));
              setPassword("");
              setStep({ ...step, joined: { ssid: String(r.body.ssid), address: (r.body.address as string | null) ?? null } });
            });
          }}
        >
          <fieldset>
            <legend>{t("The machine's Wi-Fi")}</legend>
            {networks.map((n) => (
              <label key={n.ssid} className="toggle">
                <input type="radio" name="ssid" value={n.ssid} checked={ssid === n.ssid} onChange={() => setSsid(n.ssid)} />
                {n.ssid}{" "}
                <span className="muted">
                  {n.secure
                    ? t("{signal}% signal, password", { signal: n.signal_pct })
                    : t("{signal}% signal, open", { signal: n.signal_pct })}
                </span>
              </label>
            ))}
          </fieldset>
          <label htmlFor="ble-wifi-password">{t("Wi-Fi password")}</label>
          <input id="ble-wifi-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />
          <button type="submit" disabled={busy || !ssid}>
            {t("Join")}
          </button>
        </form>
      ) : (
        <p className="muted">{t("This machine does not manage its Wi-Fi.")}</p>
      )}
      <ErrorLine text={error} />
      <div className="row wrap">
        {joined?.address && (
          <button type="button" onClick={() => goWifi(joined.address as string)}>
            {t("Go on over Wi-Fi")}
          </button>
        )}
        <button type="button" className={joined?.address ? "quiet" : undefined} onClick={goBluetooth}>
          {t("Use it over Bluetooth")}
        </button>
      </div>
    </div>
  );
}
