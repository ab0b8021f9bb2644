/**
 * @module What can be set, and the limits. Controller settings are the protocol's config keys,
 * in their wire units and ranges (protocol/uart/messages.json, `config_keys`), so the hub can
 * never store a value the controller would refuse on range. Hub settings are the hub's own.
 * Secrets are write-only: answers say whether one is set, never what it is.
 */
import { CONFIG_KEYS, HeatingStrategy } from "@brewos/protocol/uart";
import { z } from "zod";

/** Config keys the hub owns through other commands or that only the factory sets. */
const NOT_SETTABLE = new Set(["machine_type", "link_weight_timeout_ms", "link_heater_timeout_ms"]);

export const CONTROLLER_KEYS = CONFIG_KEYS.filter((k) => !NOT_SETTABLE.has(k.name));

export const ControllerSettingsPatch = z.strictObject(
  Object.fromEntries(CONTROLLER_KEYS.map((k) => [k.name, z.int().min(k.min).max(k.max).optional()])) as Record<
    string,
    z.ZodOptional<z.ZodInt>
  >,
);

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const strategies = Object.keys(HeatingStrategy) as [keyof typeof HeatingStrategy, ...(keyof typeof HeatingStrategy)[]];

export const Schedule = z.strictObject({
  id: z.int().min(1).max(10),
  name: z.string().max(23).default(""),
  enabled: z.boolean().default(true),
  days: z.array(z.enum(WEEKDAYS)).min(1),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 24-hour"),
  action: z.enum(["on", "off"]),
  heating_strategy: z.enum(strategies).optional(),
});
export type Schedule = z.infer<typeof Schedule>;

const Schedules = z
  .array(Schedule)
  .max(10)
  .refine((xs) => new Set(xs.map((x) => x.id)).size === xs.length, { message: "schedule ids must be different" });

export const HubSettings = z.strictObject({
  machine_name: z.string().trim().min(1).max(40).default("Espresso machine"),
  retention: z
    .strictObject({
      keep_days: z.int().min(0).max(36500).default(0),
      keep_count: z.int().min(0).max(10_000_000).default(0),
      /** When the disk is full, delete the oldest shots (50 at a time) to make room. Off: nothing is deleted without the owner. */
      make_room_when_full: z.boolean().default(false),
    })
    .default({ keep_days: 0, keep_count: 0, make_room_when_full: false }),
  mqtt: z
    .strictObject({
      enabled: z.boolean().default(false),
      host: z.string().max(253).default(""),
      port: z.int().min(1).max(65535).default(1883),
      username: z.string().max(128).default(""),
      password: z.string().max(256).default(""),
      topic_prefix: z
        .string()
        .regex(/^[A-Za-z0-9_/-]{1,64}$/, "letters, digits, _ - / only")
        .default("brewos"),
      /** Home Assistant's discovery prefix. */
      discovery_prefix: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ - only")
        .default("homeassistant"),
      /** Empty: brewos_<device id>. */
      client_id: z
        .string()
        .regex(/^[A-Za-z0-9_-]{0,64}$/, "letters, digits, _ - only")
        .default(""),
      tls: z
        .strictObject({
          enabled: z.boolean().default(false),
          /** PEM file of the CA that signed the broker's certificate; empty: the system's CAs. */
          ca_path: z.string().max(4096).default(""),
          /** Check the broker's certificate and name (turn off only for a self-signed test broker). */
          verify: z.boolean().default(true),
        })
        .default({ enabled: false, ca_path: "", verify: true }),
    })
    .default({
      enabled: false,
      host: "",
      port: 1883,
      username: "",
      password: "",
      topic_prefix: "brewos",
      discovery_prefix: "homeassistant",
      client_id: "",
      tls: { enabled: false, ca_path: "", verify: true },
    }),
  maintenance: z
    .strictObject({
      backflush_every_shots: z.int().min(1).max(10000).default(100),
      group_clean_every_shots: z.int().min(1).max(10000).default(200),
      descale_every_shots: z.int().min(1).max(100000).default(500),
      descale_every_days: z.int().min(1).max(3650).default(60),
    })
    .default({ backflush_every_shots: 100, group_clean_every_shots: 200, descale_every_shots: 500, descale_every_days: 60 }),
  https: z
    .strictObject({ cert_path: z.string().max(4096).default(""), key_path: z.string().max(4096).default("") })
    .refine((h) => (h.cert_path === "") === (h.key_path === ""), { message: "give both cert_path and key_path, or neither" })
    .default({ cert_path: "", key_path: "" }),
  schedules: Schedules.default([]),
  auto_off: z
    .strictObject({ enabled: z.boolean().default(true), minutes: z.int().min(5).max(480).default(60) })
    .default({ enabled: true, minutes: 60 }),
  /** Other names the hub answers to besides its addresses, localhost and .local names (a router's
   * DNS name like brewos.lan, a certificate's name); any other Host is refused (DNS rebinding). */
  host_names: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, "a DNS name like brewos.lan"),
    )
    .max(16)
    .default([]),
  /** "Open on my network": any device on the LAN may use the API without pairing (the seed's
   * behaviour). Off by default; cross-site protection holds either way. */
  open_on_network: z.boolean().default(false),
  mdns: z
    .strictObject({
      enabled: z.boolean().default(true),
      hostname: z
        .string()
        .regex(/^[a-z0-9-]{1,63}$/)
        .default("brewos"),
    })
    .default({ enabled: true, hostname: "brewos" }),
});
export type HubSettings = z.infer<typeof HubSettings>;

export const HubSettingsPatch = z.strictObject({
  machine_name: HubSettings.shape.machine_name.unwrap().optional(),
  retention: HubSettings.shape.retention.unwrap().partial().optional(),
  mqtt: HubSettings.shape.mqtt.unwrap().extend({ tls: HubSettings.shape.mqtt.unwrap().shape.tls.unwrap().partial() }).partial().optional(),
  maintenance: HubSettings.shape.maintenance.unwrap().partial().optional(),
  https: z
    .strictObject({ cert_path: z.string().max(4096), key_path: z.string().max(4096) })
    .partial()
    .optional(),
  schedules: Schedules.optional(),
  auto_off: HubSettings.shape.auto_off.unwrap().partial().optional(),
  mdns: HubSettings.shape.mdns.unwrap().partial().optional(),
  host_names: HubSettings.shape.host_names.unwrap().optional(),
  open_on_network: z.boolean().optional(),
});

export const SettingsPatch = z.strictObject({ hub: HubSettingsPatch.optional(), controller: ControllerSettingsPatch.optional() });
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** Paths of secret fields: stored, used, never answered. */
export const SECRETS: readonly (readonly [section: "mqtt", field: "password"])[] = [["mqtt", "password"]];
