/**
 * A new app version is offered, never applied on its own: "New version — reload". While edits are
 * still being saved to the hub, the reload waits (an update must not lose them).
 */

import { useRegisterSW } from "virtual:pwa-register/react";
import { useEffect, useState } from "react";
import { pendingEdits } from "../shared/pending-edits.ts";

export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  const [busy, setBusy] = useState(pendingEdits.count());
  useEffect(() => pendingEdits.subscribe(setBusy), []);
  if (!needRefresh) return null;
  return (
    <aside className="update" aria-label="App update">
      <span>New version of BrewOS is ready.</span>
      <button type="button" disabled={busy > 0} onClick={() => void updateServiceWorker(true)}>
        {busy > 0 ? "Saving your edits…" : "Reload"}
      </button>
      <button type="button" className="quiet" onClick={() => setNeedRefresh(false)}>
        Later
      </button>
    </aside>
  );
}
