/** The connection's state, always visible: connected (at home or through the relay), reconnecting, offline, or stale with its age. */
import { useEffect, useState } from "react";
import { useMachine } from "../connection/machine-store.ts";
import { t } from "../i18n/i18n.ts";
import { age } from "../shared/format.ts";

const STALE_MS = 3000;

export function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  return online;
}

export function ConnectionBadge() {
  const status = useMachine((s) => s.status);
  const detail = useMachine((s) => s.statusDetail);
  const receivedAt = useMachine((s) => s.receivedAt);
  const link = useMachine((s) => s.snapshot?.link);
  const online = useOnline();
  const pairing = useMachine((s) => s.pairing);
  const route = useMachine((s) => s.route);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  let kind: string;
  let text: string;
  if (!online) {
    kind = "offline";
    text = t("Offline");
  } else if (pairing === "needed") {
    kind = "warn";
    text = t("Not paired");
  } else if (status === "connected" && link === "down") {
    kind = "warn";
    text = t("Hub up, machine not answering");
  } else if (status === "connected") {
    const stale = receivedAt > 0 && now - receivedAt > STALE_MS + 5000;
    kind = stale ? "warn" : "ok";
    text = stale
      ? t("Stale data ({age})", { age: age(now - receivedAt) })
      : route === "relay"
        ? t("Connected through the relay")
        : route === "bluetooth"
          ? t("Connected over Bluetooth")
          : t("Connected");
  } else if (status === "reconnecting") {
    kind = "warn";
    text = receivedAt > 0 ? t("Reconnecting… last data {age}", { age: age(now - receivedAt) }) : t("Reconnecting…");
  } else {
    kind = "warn";
    text = t("Connecting…");
  }
  return (
    <output className={`badge badge-${kind}`} title={detail} aria-live="polite">
      <span className="dot" aria-hidden="true" />
      {text}
    </output>
  );
}
