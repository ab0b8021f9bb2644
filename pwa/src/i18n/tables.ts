/**
 * @module Word tables translated where they are used (a table entry passed to `t`), gathered for the
 * catalogue's completeness test: it cannot see their words in a call with a literal message.
 */
import { NOT_A_PROFILE } from "@brewos/protocol/profile";
import { EVERYDAY, GROUPS, LABELS } from "../features/settings/controller-keys.ts";
import { STATE_DETAIL } from "../shared/format.ts";

export const TABLES: string[] = [
  ...Object.values(STATE_DETAIL),
  ...Object.values(LABELS),
  ...Object.values(EVERYDAY).flatMap((e) => [e.label, e.help]),
  ...GROUPS.map(([g]) => g),
  ...Object.values(NOT_A_PROFILE),
  "Everyday",
  "Other",
];
