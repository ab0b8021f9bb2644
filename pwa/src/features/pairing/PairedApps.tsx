/** The phones and browsers paired with this machine: named, when last seen, and removable (their open sessions end at once). */
import "./pairing.css";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { t } from "../../i18n/i18n.ts";
import { dateTime } from "../../shared/format.ts";
import { hubApi } from "../../shared/hub-api.ts";

export function PairedApps() {
  const client = useQueryClient();
  const apps = useQuery({ queryKey: ["paired-apps"], queryFn: hubApi.pairedApps });
  const remove = useMutation({
    mutationFn: hubApi.revokeApp,
    onSuccess: () => client.invalidateQueries({ queryKey: ["paired-apps"] }),
  });
  if (apps.error) return <p className="error">{(apps.error as Error).message}</p>;
  if (!apps.data) return <p className="muted">{t("Loading…")}</p>;
  if (apps.data.apps.length === 0) return <p className="muted">{t("No phone is paired yet.")}</p>;
  return (
    <ul className="paired-apps">
      {apps.data.apps.map((a) => (
        <li key={a.id}>
          <span>
            <strong>{a.name}</strong>
            {a.this_app ? ` ${t("(this app)")}` : ""}
            <br />
            <span className="muted small">
              {t("paired {when} · last seen {seen}", { when: dateTime(a.paired_at_ms), seen: dateTime(a.last_seen_ms) })}
            </span>
          </span>
          <button
            type="button"
            className="quiet"
            aria-label={t("Remove {name}", { name: a.name })}
            disabled={remove.isPending}
            onClick={() => {
              const what = a.this_app
                ? t("This app will be signed out and must pair again.")
                : t("“{name}” will lose access at once.", { name: a.name });
              if (window.confirm(`${t("Remove {name}?", { name: a.name })} ${what}`)) remove.mutate(a.id);
            }}
          >
            {t("Remove")}
          </button>
        </li>
      ))}
    </ul>
  );
}
