/**
 * A new app version is offered, never applied on its own: "New version — reload". While edits are
 * still waiting in the outbox for the hub, the reload waits (an update must not lose them).
 */

import { useRegisterSW } from "virtual:pwa-register/react";
import { useEffect, useState } from "react";
import { t } from "../i18n/i18n.ts";

export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  // Edits still in the outbox have not reached the hub: a reload now must wait for them.
  const [busy, setBusy] = useState(0);
  useEffect(() => {
    if (!needRefresh) return;
    let stop = () => {};
    void Promise.all([import("dexie"), import("../data/db.ts")]).then(([{ liveQuery }, { db }]) => {
      const sub = liveQuery(() => db.outbox.count()).subscribe({ next: setBusy });
      stop = () => sub.unsubscribe();
    });
    return () => stop();
  }, [needRefresh]);
  if (!needRefresh) return null;
  return (
    <aside className="update" aria-label={t("App update")}>
      <span>{t("New version of BrewOS is ready.")}</span>
      <button type="button" disabled={busy > 0} onClick={() => void updateServiceWorker(true)}>
        {busy > 0 ? t("Saving your edits…") : t("Reload")}
      </button>
      <button type="button" className="quiet" onClick={() => setNeedRefresh(false)}>
        {t("Later")}
      </button>
    </aside>
  );
}
