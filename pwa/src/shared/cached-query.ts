/**
 * @module Queries that stay useful offline: the last answer the hub gave is kept on this phone
 * (localStorage) and shown while the hub cannot be reached, with its age, instead of an empty
 * screen. Used for profiles, statistics and the machine's settings.
 */
import { useQuery } from "@tanstack/react-query";

const PREFIX = "brewos.cache.";

function load<T>(key: string): { at: number; value: T } | undefined {
  try {
    const v = JSON.parse(localStorage.getItem(PREFIX + key) ?? "null") as { at: number; value: T } | null;
    return v && typeof v.at === "number" ? v : undefined;
  } catch {
    return undefined;
  }
}

export function useCachedQuery<T>(key: string, fetcher: () => Promise<T>, o: { refetchInterval?: number } = {}) {
  const q = useQuery({
    queryKey: [key],
    queryFn: async () => {
      const value = await fetcher();
      try {
        localStorage.setItem(PREFIX + key, JSON.stringify({ at: Date.now(), value }));
      } catch {
        // A full storage: the live answer still shows.
      }
      return value;
    },
    initialData: () => load<T>(key)?.value,
    initialDataUpdatedAt: () => load<T>(key)?.at,
    // The cached copy is shown at once and replaced by the hub's answer as soon as it arrives.
    staleTime: 0,
    ...(o.refetchInterval ? { refetchInterval: o.refetchInterval } : {}),
  });
  /** The data is the phone's copy from an earlier visit: the hub did not answer this time. */
  const fromPhone = q.data !== undefined && q.isError;
  return { ...q, fromPhone, savedAt: fromPhone ? (load<T>(key)?.at ?? null) : null };
}
