/**
 * @module Read and change hub settings from any screen: the hub checks every field against its
 * ranges and its answer names each bad field, which forms show next to that field.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { HubError, hubApi } from "./hub-api.ts";

export function useHubSettings() {
  const client = useQueryClient();
  const q = useQuery({ queryKey: ["settings"], queryFn: hubApi.settings });
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const m = useMutation({
    mutationFn: hubApi.patchSettings,
    onMutate: () => {
      setIssues({});
      setStatus("Saving…");
    },
    onSuccess: async (r) => {
      client.setQueryData(["settings"], r.settings);
      await client.invalidateQueries({ queryKey: ["controller-keys"] });
      setStatus("Saved");
    },
    onError: (e) => {
      if (e instanceof HubError && e.issues.length) {
        setIssues(Object.fromEntries(e.issues.map((i) => [i.path, i.message])));
        setStatus("Not saved: fix the marked fields");
      } else setStatus(`Not saved: ${(e as Error).message}`);
    },
  });
  return { settings: q.data, error: q.error, loading: q.isLoading, save: m.mutate, saving: m.isPending, issues, status };
}
