/** @module What each controller alarm means and what to do about it, in plain words. */
import { ALARM_WORDS } from "@brewos/protocol/api/alarm-words";
import { t } from "../i18n/i18n.ts";

export interface AlarmAdvice {
  title: string;
  action: string;
}

const A = ALARM_WORDS;

/** Every alarm's words in English (the catalogue translates them; its test reads this). */
export const ALARM_TEXTS: readonly AlarmAdvice[] = Object.values(A);

export function alarmAdvice(code: string): AlarmAdvice {
  const a = A[code];
  if (!a) return { title: code.replaceAll("_", " "), action: t("Check the machine, then clear the fault.") };
  return { title: t(a.title), action: t(a.action) };
}
