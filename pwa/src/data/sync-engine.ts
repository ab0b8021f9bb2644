/**
 * @module This install's side of sync (docs/api/sync.md). Edits are written to IndexedDB and the
 * outbox in one transaction (durable the moment "save" is pressed, with or without a hub); when
 * connected, the outbox is pushed in order and acknowledged entries dropped; pulls apply rows and
 * move the cursor in one transaction; a poke from the hub means pull. Only one tab per install
 * syncs (the leader, by Web Locks); the others see every change through IndexedDB.
 */
import {
  BEAN_FIELDS,
  type BeanRow,
  type EditableField,
  EMPTY_BEAN,
  EMPTY_SHOT_VALUES,
  type FieldEdits,
  Hlc,
  mergeFields,
  mergeRow,
  newNodeId,
  type SyncRow,
  type SyncServerMessage,
  uuidv7,
  type WeightCurve,
} from "@brewos/protocol/sync";
import type { BrewosDb, LocalBean, LocalShot } from "./db.ts";

export const SCHEMA_VERSION = 1;
const PULL_LIMIT = 500;
const PUSH_LIMIT = 100;

export type SyncStatus = "idle" | "syncing" | "synced" | "offline" | "error";

export class SyncEngine {
  private connected = false;
  private welcomed = false;
  private pushing = false;
  private pulling = false;
  private readonly listeners = new Set<(s: SyncStatus, detail?: string) => void>();

  constructor(
    private readonly db: BrewosDb,
    private readonly send: (msg: object) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  onStatus(l: (s: SyncStatus, detail?: string) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private status(s: SyncStatus, detail?: string): void {
    for (const l of this.listeners) l(s, detail);
  }

  private async meta<T extends string | number>(key: "node_id" | "hlc" | "cursor", fallback: T): Promise<T> {
    return ((await this.db.meta.get(key))?.value as T | undefined) ?? fallback;
  }

  /** This install's id, made on first use. */
  async nodeId(): Promise<string> {
    return this.db.transaction("rw", this.db.meta, async () => {
      const have = await this.db.meta.get("node_id");
      if (have) return String(have.value);
      const id = newNodeId();
      await this.db.meta.put({ key: "node_id", value: id });
      return id;
    });
  }

  /** Stamp fields with this install's clock, inside the caller's transaction (ticks are serialised across tabs). */
  private async stamp(values: Partial<Record<string, unknown>>): Promise<FieldEdits> {
    const node = await this.nodeId();
    const clock = new Hlc(node, ((await this.db.meta.get("hlc"))?.value as string | undefined) ?? null, this.now);
    const fields: FieldEdits = {};
    for (const [k, v] of Object.entries(values)) fields[k as EditableField] = [v, clock.send()];
    await this.db.meta.put({ key: "hlc", value: clock.last });
    return fields;
  }

  /** A person's edit: the row and the outbox in one transaction, then a push if a hub is there. */
  async edit(shotId: string, values: Partial<Record<EditableField, unknown>>): Promise<void> {
    await this.db.transaction("rw", [this.db.shots, this.db.outbox, this.db.meta], async () => {
      const row = await this.db.shots.get(shotId);
      if (!row) throw new Error(`no shot ${shotId} on this device`);
      const fields = await this.stamp(values);
      const merged = mergeFields({ values: row.values, clocks: row.clocks }, fields).row;
      await this.db.shots.put({ ...row, values: merged.values as SyncRow["values"], clocks: merged.clocks });
      await this.db.outbox.add({ shot_id: shotId, fields: fields as Record<string, [unknown, string]> });
    });
    void this.push();
  }

  /**
   * A bean in the library made or changed here (a new id makes a new bean): saved on this phone at
   * once, on the hub when it can be reached. Returns the bean's id.
   */
  async editBean(beanId: string | null, values: Partial<BeanRow["values"]>): Promise<string> {
    const id = beanId ?? uuidv7();
    await this.db.transaction("rw", [this.db.beans, this.db.outbox, this.db.meta], async () => {
      const row = (await this.db.beans.get(id)) ?? { id, server_seq: 0, values: { ...EMPTY_BEAN }, clocks: {} };
      const fields = await this.stamp(beanId ? values : { deleted: false, ...values });
      const merged = mergeFields<BeanRow["values"]>({ values: row.values, clocks: row.clocks }, fields, BEAN_FIELDS).row;
      await this.db.beans.put({ ...row, values: merged.values, clocks: merged.clocks });
      await this.db.outbox.add({ shot_id: "", bean_id: id, fields: fields as Record<string, [unknown, string]> });
    });
    void this.push();
    return id;
  }

  /** A shot logged by hand (no machine): saved here at once, on the hub when it can be reached. */
  async logManual(
    core: { started_at_ms: number; duration_ms: number | null; weight_curve?: WeightCurve },
    values: Partial<Record<EditableField, unknown>>,
  ): Promise<string> {
    const id = uuidv7(core.started_at_ms);
    await this.db.transaction("rw", [this.db.shots, this.db.outbox, this.db.meta], async () => {
      const fields = await this.stamp({ deleted: false, ...values });
      const merged = mergeFields({ values: {}, clocks: {} }, fields).row;
      const row: LocalShot = {
        id,
        server_seq: 0,
        status: "complete",
        source: "manual",
        started_at_ms: core.started_at_ms,
        duration_ms: core.duration_ms,
        stop_reason: null,
        end_flags: [],
        profile_slot: null,
        profile_name: null,
        target_g: null,
        final_weight_g: null,
        settled_weight_g: null,
        volume_ml: null,
        max_pressure_bar: null,
        mean_brew_c: null,
        sample_count: 0,
        ...(core.weight_curve ? { weight_curve: core.weight_curve } : {}),
        values: { ...EMPTY_SHOT_VALUES, ...merged.values } as SyncRow["values"],
        clocks: merged.clocks,
      };
      await this.db.shots.put(row);
      await this.db.outbox.add({ shot_id: id, fields: fields as Record<string, [unknown, string]>, create: core });
    });
    void this.push();
    return id;
  }

  /** Push what waits in the outbox now (after an import). */
  kick(): void {
    void this.push();
  }

  /** The socket to the hub is up (this tab leads): say hello. */
  async connectedToHub(): Promise<void> {
    this.connected = true;
    this.welcomed = false;
    this.status("syncing");
    this.send({
      type: "sync_hello",
      v: 1,
      node_id: await this.nodeId(),
      schema_version: SCHEMA_VERSION,
      cursor: await this.meta("cursor", 0),
    });
  }

  disconnected(): void {
    this.connected = false;
    this.welcomed = false;
    this.pushing = false;
    this.pulling = false;
    this.status("offline");
  }

  async handle(m: SyncServerMessage): Promise<void> {
    switch (m.type) {
      case "sync_welcome":
        this.welcomed = true;
        await this.push();
        await this.pull();
        break;
      case "sync_reset":
        // Start over from the hub's rows, keeping every edit still in the outbox.
        await this.db.transaction("rw", [this.db.shots, this.db.beans, this.db.meta], async () => {
          await this.db.shots.clear();
          await this.db.beans.clear();
          await this.db.meta.put({ key: "cursor", value: 0 });
        });
        this.welcomed = true;
        await this.push();
        await this.pull();
        break;
      case "sync_ack":
        await this.db.outbox.where("seq").belowOrEqual(m.last_mutation_id).delete();
        this.pushing = false;
        if (m.rejected.length) this.status("error", m.rejected.map((r) => r.message).join("; "));
        await this.push();
        break;
      case "sync_changes":
        await this.apply(m.rows, m.cursor, m.beans ?? []);
        this.pulling = false;
        if (m.has_more) await this.pull();
        else if ((await this.db.outbox.count()) === 0) this.status("synced");
        break;
      case "sync_poke":
        await this.pull();
        break;
      case "sync_error":
        this.pushing = false;
        this.pulling = false;
        this.status("error", m.message);
        break;
    }
  }

  private async push(): Promise<void> {
    if (!this.connected || !this.welcomed || this.pushing) return;
    const batch = await this.db.outbox.orderBy("seq").limit(PUSH_LIMIT).toArray();
    if (batch.length === 0) return;
    this.pushing = true;
    this.status("syncing");
    const sent = this.send({
      type: "sync_push",
      v: 1,
      mutations: batch.map((e) =>
        e.bean_id
          ? { mutation_id: e.seq as number, bean_id: e.bean_id, bean: e.fields }
          : { mutation_id: e.seq as number, shot_id: e.shot_id, fields: e.fields, ...(e.create ? { create: e.create } : {}) },
      ),
    });
    if (!sent) this.pushing = false;
  }

  private async pull(): Promise<void> {
    if (!this.connected || !this.welcomed || this.pulling) return;
    this.pulling = true;
    const sent = this.send({ type: "sync_pull", v: 1, since: await this.meta("cursor", 0), limit: PULL_LIMIT });
    if (!sent) this.pulling = false;
  }

  /** Rows and the cursor in one transaction: the checkpoint moves only with what it covers. */
  private async apply(rows: SyncRow[], cursor: number, beans: BeanRow[]): Promise<void> {
    await this.db.transaction("rw", [this.db.shots, this.db.beans, this.db.meta], async () => {
      const node = await this.nodeId();
      const clock = new Hlc(node, ((await this.db.meta.get("hlc"))?.value as string | undefined) ?? null, this.now);
      const mine = await this.db.shots.bulkGet(rows.map((r) => r.id));
      const hear = (clocks: Record<string, string | undefined>) => {
        for (const c of Object.values(clocks)) {
          try {
            if (c) clock.recv(c);
          } catch {
            // a clock far ahead of this phone's: the row still applies; our next stamp stays ordered after our own
          }
        }
      };
      const out: LocalShot[] = rows.map((r, i) => {
        hear(r.clocks);
        const local = mine[i];
        const merged = mergeRow(local ? { values: local.values, clocks: local.clocks } : null, r);
        return { ...r, values: merged.values as SyncRow["values"], clocks: merged.clocks };
      });
      await this.db.shots.bulkPut(out);
      const myBeans = await this.db.beans.bulkGet(beans.map((b) => b.id));
      const beanRows: LocalBean[] = beans.map((b, i) => {
        hear(b.clocks);
        const local = myBeans[i];
        const merged = mergeRow<BeanRow["values"]>(local ? { values: local.values, clocks: local.clocks } : null, b, BEAN_FIELDS);
        return { ...b, values: { ...EMPTY_BEAN, ...merged.values }, clocks: merged.clocks };
      });
      await this.db.beans.bulkPut(beanRows);
      await this.db.meta.put({ key: "cursor", value: cursor });
      await this.db.meta.put({ key: "hlc", value: clock.last });
    });
  }
}
