/** Test helper: a streamed backup (NDJSON, docs/api/rest.md) read into its parts and written back. */
export interface BackupFile {
  header: Record<string, unknown>;
  shots: Record<string, unknown>[];
  end: { shots: number } | null;
}

export function parseBackup(text: string): BackupFile {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const [first, ...rest] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const end = rest.find((m) => m.end !== undefined)?.end as { shots: number } | undefined;
  return {
    header: first ?? {},
    shots: rest.filter((m) => m.shot !== undefined).map((m) => m.shot as Record<string, unknown>),
    end: end ?? null,
  };
}

export function formatBackup(b: BackupFile): string {
  return `${[b.header, ...b.shots.map((shot) => ({ shot })), ...(b.end ? [{ end: b.end }] : [])].map((x) => JSON.stringify(x)).join("\n")}\n`;
}

/** The same backup as one version-1 document (what older hubs wrote). */
export function asVersion1(b: BackupFile): Record<string, unknown> {
  return { ...b.header, version: 1, shots: b.shots };
}
