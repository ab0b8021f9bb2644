/** The phones and browsers paired with this machine: named, when last seen, and removable (their open sessions end at once). */
import "./pairing.css";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
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
  if (!apps.data) return <p className="muted">Loading…</p>;
  if (apps.data.apps.length === 0) return <p className="muted">No phone is paired yet.</p>;
  return (
    <ul className="paired-apps">
      {apps.data.apps.map((a) => (
        <li key={a.id}>
          <span>
            <strong>{a.name}</strong>
            {a.this_app ? " (this app)" : ""}
            <br />
            <span className="muted small">
              paired {dateTime(a.paired_at_ms)} · last seen {dateTime(a.last_seen_ms)}
            </span>
          </span>
          <button
            type="button"
            className="quiet"
            aria-label={`Remove ${a.name}`}
            disabled={remove.isPending}
            onClick={() => {
              const what = a.this_app ? "This app will be signed out and must pair again." : `“${a.name}” will lose access at once.`;
              if (window.confirm(`Remove ${a.name}? ${what}`)) remove.mutate(a.id);
            }}
          >
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}
