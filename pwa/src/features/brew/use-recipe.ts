/**
 * @module The next shot's recipe as the Brew screen edits it. The hub owns the recipe (the app,
 * Home Assistant and the display share it); edits show at once, reach the hub a moment later, and
 * wait on this phone — saying so — while the hub cannot be reached. A change made elsewhere shows
 * here unless this phone has an edit still waiting.
 */
import { DEFAULT_NEXT_SHOT, type NextShot } from "@brewos/protocol/api";
import { useEffect, useState } from "react";
import { setNextShot, useMachine } from "../../connection/machine-store.ts";
import { t } from "../../i18n/i18n.ts";
import { HubError, hubApi } from "../../shared/hub-api.ts";

export type RecipeFields = Pick<NextShot, "profile_id" | "dose_g" | "target_g" | "stop_time_s">;
const WAITING_KEY = "brewos.next-shot-waiting";
const SEND_AFTER_MS = 400;

function waiting(): Partial<RecipeFields> | null {
  try {
    return JSON.parse(localStorage.getItem(WAITING_KEY) ?? "null") as Partial<RecipeFields> | null;
  } catch {
    return null;
  }
}

function pick(n: NextShot | RecipeFields): RecipeFields {
  return { profile_id: n.profile_id, dose_g: n.dose_g, target_g: n.target_g, stop_time_s: n.stop_time_s };
}

const waits = () => t("Saved on this phone — sent to the machine when it can be reached.");
const noteListeners = new Set<(note: string | null) => void>();
const tell = (note: string | null) => {
  for (const l of noteListeners) l(note);
};

/**
 * Send what waits on this phone to the hub; the answer becomes everyone's recipe. One at a time, so
 * the hub applies edits in the order they were made; an edit made while one was on its way keeps
 * waiting (it is sent next) instead of being cleared by the earlier answer.
 */
let sending: Promise<void> = Promise.resolve();
function send(): Promise<void> {
  sending = sending.then(sendWaiting);
  return sending;
}

async function sendWaiting(): Promise<void> {
  const patch = waiting();
  if (!patch) return;
  try {
    const next = await hubApi.setNextShot(patch);
    if (!keepEditedSince(patch)) tell(null);
    setNextShot(next);
  } catch (e) {
    if (e instanceof HubError && e.status === 400) {
      keepEditedSince(patch); // the hub refused it: say why, keep the hub's recipe
      tell(t("Not saved: {why}", { why: e.message }));
    } else tell(waits());
  }
}

/** Of what waits, drop what `sent` delivered; true when an edit made since still waits. */
function keepEditedSince(sent: Partial<RecipeFields>): boolean {
  const now = waiting() ?? {};
  const rest = Object.fromEntries(Object.entries(now).filter(([k, v]) => !(k in sent) || sent[k as keyof RecipeFields] !== v));
  if (Object.keys(rest).length === 0) localStorage.removeItem(WAITING_KEY);
  else localStorage.setItem(WAITING_KEY, JSON.stringify(rest));
  return Object.keys(rest).length > 0;
}

let timer: ReturnType<typeof setTimeout> | null = null;

/** Change the next shot from anywhere in the app (Profiles' "Use for next shot" too). */
export function proposeRecipe(patch: Partial<RecipeFields>, delayMs = SEND_AFTER_MS): Promise<void> {
  localStorage.setItem(WAITING_KEY, JSON.stringify({ ...(waiting() ?? {}), ...patch }));
  if (timer) clearTimeout(timer);
  if (delayMs === 0) return send();
  timer = setTimeout(() => void send(), delayMs);
  return Promise.resolve();
}

export function useRecipe() {
  const fromHub = useMachine((m) => m.nextShot);
  const connected = useMachine((m) => m.status === "connected");
  const [draft, setDraft] = useState<RecipeFields>(() => ({ ...pick(fromHub ?? DEFAULT_NEXT_SHOT), ...(waiting() ?? {}) }));
  const [note, setNote] = useState<string | null>(waiting() ? waits() : null);
  useEffect(() => {
    noteListeners.add(setNote);
    return () => void noteListeners.delete(setNote);
  }, []);

  // Someone else changed the recipe (Home Assistant, another phone): show theirs, unless ours waits.
  useEffect(() => {
    if (fromHub && !waiting()) setDraft(pick(fromHub));
  }, [fromHub]);
  // Back in touch with the hub: deliver what waited.
  useEffect(() => {
    if (connected && waiting()) void send();
  }, [connected]);

  const change = (patch: Partial<RecipeFields>) => {
    setDraft((d) => ({ ...d, ...patch }));
    void proposeRecipe(patch);
  };
  return { recipe: draft, change, note };
}
