/** @module The relay's `/metrics`, in Prometheus' text format (docs/remote.md). */

export interface RelayCounters {
  frames_forwarded: number;
  bytes_forwarded: number;
  /** Refusals by reason (a close code's name, or `txt_…` for refused DNS records). */
  refused: Map<string, number>;
}

export function metricsText(now: { hubsOnline: number; appsOnline: number; hubsKnown: number }, c: RelayCounters): string {
  const lines = [
    "# TYPE brewos_relay_hubs_online gauge",
    `brewos_relay_hubs_online ${now.hubsOnline}`,
    "# TYPE brewos_relay_apps_online gauge",
    `brewos_relay_apps_online ${now.appsOnline}`,
    "# TYPE brewos_relay_hubs_known gauge",
    `brewos_relay_hubs_known ${now.hubsKnown}`,
    "# TYPE brewos_relay_frames_forwarded_total counter",
    `brewos_relay_frames_forwarded_total ${c.frames_forwarded}`,
    "# TYPE brewos_relay_bytes_forwarded_total counter",
    `brewos_relay_bytes_forwarded_total ${c.bytes_forwarded}`,
    "# TYPE brewos_relay_refused_total counter",
    ...[...c.refused].map(([why, n]) => `brewos_relay_refused_total{reason="${why}"} ${n}`),
  ];
  return `${lines.join("\n")}\n`;
}
