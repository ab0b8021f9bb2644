/**
 * @module Read and change hub settings from any screen: the hub checks every field against its
 * ranges and its answer names each bad field, which forms show next to that field. A change that
 * would delete shots (a shorter history) is sent again only after the person confirms the hub's
 * count.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { t } from "../i18n/i18n.ts";
import { HubError, hubApi } from "./hub-api.ts";

export function useHubSettings() {
  const client = useQueryClient();
  const q = useQuery({ queryKey: ["settings"], queryFn: hubApi.settings });
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const m = useMutation({
    mutationFn: async (patch: Parameters<typeof hubApi.patchSettings>[0]) => {
      try {
        return await hubApi.patchSettings(patch);
      } catch (e) {
        if (!(e instanceof HubError) || e.code !== "confirm_required") throw e;
        if (!window.confirm(`${e.message.replace(/ Send it again.*$/, "")} ${t("Delete them?")}`))
          throw new HubError("cancelled", "nothing was deleted");
        return hubApi.patchSettings(patch, true);
      }
    },
    onMutate: () => {
      setIssues({});
      setStatus(t("Saving…"));
    },
    onSuccess: async (r) => {
      client.setQueryData(["settings"], r.settings);
      await client.invalidateQueries({ queryKey: ["controller-keys"] });
      setStatus(t("Saved"));
    },
    onError: (e) => {
      if (e instanceof HubError && e.code === "cancelled") setStatus(t("Not saved: nothing was deleted"));
      else if (e instanceof HubError && e.issues.length && e.code !== "confirm_required") {
        setIssues(Object.fromEntries(e.issues.map((i) => [i.path, i.message])));
        setStatus(t("Not saved: fix the marked fields"));
      } else setStatus(t("Not saved: {why}", { why: (e as Error).message }));
    },
  });
  return { settings: q.data, error: q.error, loading: q.isLoading, save: m.mutate, saving: m.isPending, issues, status };
}
