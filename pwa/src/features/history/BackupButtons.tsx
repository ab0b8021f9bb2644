/** Export this device's shot log (JSON backup or CSV) and merge a backup back in. */
import { useState } from "react";
import { getSync } from "../../connection/connect.ts";
import { db } from "../../data/db.ts";
import { t } from "../../i18n/i18n.ts";

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function BackupButtons() {
  const [message, setMessage] = useState<string | null>(null);
  const day = new Date().toISOString().slice(0, 10);
  return (
    <div className="row wrap">
      <button
        type="button"
        className="quiet"
        onClick={async () =>
          download(
            `brewos-shots-${day}.json`,
            "application/json",
            JSON.stringify(await (await import("../../data/backup.ts")).exportJson(db)),
          )
        }
      >
        {t("Export backup")}
      </button>
      <button
        type="button"
        className="quiet"
        onClick={async () => download(`brewos-shots-${day}.csv`, "text/csv", await (await import("../../data/backup.ts")).exportCsv(db))}
      >
        {t("Export CSV")}
      </button>
      <label className="file">
        {t("Import a backup")}
        <input
          type="file"
          accept="application/json,.json"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = "";
            if (!f) return;
            const ok = window.confirm(
              t(
                "Import {file}? Shots in it are merged into this history; where a shot is in both, the later edit of each field wins — that can replace notes you made here.",
                { file: f.name },
              ),
            );
            if (!ok) return;
            const r = await (await import("../../data/backup.ts")).importJson(db, await f.text());
            setMessage(
              r.ok
                ? t("Imported: {added} new, {updated} updated, {unchanged} already here.", {
                    added: r.added,
                    updated: r.updated,
                    unchanged: r.unchanged,
                  })
                : t("Not imported: {why}", { why: r.message }),
            );
            if (r.ok) void getSync().then((s) => s.kick());
          }}
        />
      </label>
      {message && (
        <span role="status" className="small">
          {message}
        </span>
      )}
    </div>
  );
}
