#include "hub_messages.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

static void copy_string(char *dst, size_t n, const cJSON *v) {
  if (cJSON_IsString(v)) snprintf(dst, n, "%s", v->valuestring);
}
static void copy_number(float *dst, const cJSON *v) {
  if (cJSON_IsNumber(v)) *dst = (float)v->valuedouble;
}

/* The snapshot fields the display uses; a delta carries some of them. */
static void apply_fields(display_state_t *s, const cJSON *f) {
  const cJSON *v;
  if ((v = cJSON_GetObjectItemCaseSensitive(f, "link")))
    s->controller_up = cJSON_IsString(v) && strcmp(v->valuestring, "up") == 0;
  copy_string(s->state, sizeof s->state, cJSON_GetObjectItemCaseSensitive(f, "state"));
  copy_string(s->mode, sizeof s->mode, cJSON_GetObjectItemCaseSensitive(f, "mode"));
  if ((v = cJSON_GetObjectItemCaseSensitive(f, "ready"))) s->ready = cJSON_IsTrue(v);
  if ((v = cJSON_GetObjectItemCaseSensitive(f, "eta_ready_s")))
    s->eta_ready_s = cJSON_IsNumber(v) ? (int)v->valuedouble : -1;
  copy_number(&s->brew_c, cJSON_GetObjectItemCaseSensitive(f, "brew_c"));
  copy_number(&s->brew_target_c, cJSON_GetObjectItemCaseSensitive(f, "brew_target_c"));
  copy_number(&s->brew_setpoint_c, cJSON_GetObjectItemCaseSensitive(f, "brew_setpoint_c"));
  copy_number(&s->steam_c, cJSON_GetObjectItemCaseSensitive(f, "steam_c"));
  copy_number(&s->steam_target_c, cJSON_GetObjectItemCaseSensitive(f, "steam_target_c"));
  copy_number(&s->pressure_bar, cJSON_GetObjectItemCaseSensitive(f, "pressure_bar"));
  copy_number(&s->shot_elapsed_s, cJSON_GetObjectItemCaseSensitive(f, "shot_elapsed_s"));
  if ((v = cJSON_GetObjectItemCaseSensitive(f, "weight_g"))) {
    s->has_weight = cJSON_IsNumber(v);
    copy_number(&s->weight_g, v);
  }
  if ((v = cJSON_GetObjectItemCaseSensitive(f, "brew_heater_pct")))
    s->brew_heater_pct = cJSON_IsNumber(v) ? (int)v->valuedouble : -1;
  if ((v = cJSON_GetObjectItemCaseSensitive(f, "brewing"))) s->brewing = cJSON_IsTrue(v);
  if ((v = cJSON_GetObjectItemCaseSensitive(f, "alarm"))) {
    s->alarm[0] = 0;
    copy_string(s->alarm, sizeof s->alarm, v);
  }
  bool heating = strcmp(s->mode, "standby") != 0 && !s->ready && s->brew_setpoint_c > 0;
  if (!heating)
    s->heat_from_c = -1000.0f;
  else if (s->heat_from_c < -999.0f || s->brew_c < s->heat_from_c)
    s->heat_from_c = s->brew_c;
  if ((v = cJSON_GetObjectItemCaseSensitive(f, "machine")) && cJSON_IsObject(v)) {
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(v, "type");
    s->has_steam = cJSON_IsString(type) && strcmp(type->valuestring, "dual_boiler") == 0;
  }
}

static void apply_shot(display_state_t *s, const cJSON *shot) {
  const cJSON *status = cJSON_GetObjectItemCaseSensitive(shot, "status");
  if (!cJSON_IsString(status) || strcmp(status->valuestring, "recording") == 0) return;
  const cJSON *duration = cJSON_GetObjectItemCaseSensitive(shot, "duration_ms");
  const cJSON *yield = cJSON_GetObjectItemCaseSensitive(shot, "yield_g");
  const cJSON *settled = cJSON_GetObjectItemCaseSensitive(shot, "settled_weight_g");
  const cJSON *weight = cJSON_IsNumber(settled) ? settled : cJSON_GetObjectItemCaseSensitive(shot, "final_weight_g");
  s->has_last_shot = true;
  s->last_duration_s = cJSON_IsNumber(duration) ? (float)(duration->valuedouble / 1000.0) : 0.0f;
  s->last_weight_g = 0.0f;
  copy_number(&s->last_weight_g, cJSON_IsNumber(yield) ? yield : weight);
  s->last_max_pressure_bar = 0.0f;
  copy_number(&s->last_max_pressure_bar, cJSON_GetObjectItemCaseSensitive(shot, "max_pressure_bar"));
  snprintf(s->last_stop_reason, sizeof s->last_stop_reason, "%s", "");
  copy_string(s->last_stop_reason, sizeof s->last_stop_reason, cJSON_GetObjectItemCaseSensitive(shot, "stop_reason"));
}

static const char *MAINTENANCE_WORDS[][2] = {
    {"backflush", "Backflush due"}, {"group_clean", "Group clean due"}, {"descale", "Descale due"}};

static void apply_statistics(display_state_t *s, const cJSON *body) {
  s->maintenance_due[0] = 0;
  const cJSON *m;
  cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(body, "maintenance")) {
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "due"))) continue;
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(m, "kind");
    for (size_t i = 0; i < sizeof MAINTENANCE_WORDS / sizeof MAINTENANCE_WORDS[0]; i++)
      if (cJSON_IsString(kind) && strcmp(kind->valuestring, MAINTENANCE_WORDS[i][0]) == 0) {
        size_t used = strlen(s->maintenance_due);
        snprintf(s->maintenance_due + used, sizeof s->maintenance_due - used, "%s%s", used ? ", " : "",
                 MAINTENANCE_WORDS[i][1]);
      }
  }
}

static void apply_http_result(display_state_t *s, const cJSON *m) {
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "id");
  const cJSON *status = cJSON_GetObjectItemCaseSensitive(m, "status");
  const cJSON *body_text = cJSON_GetObjectItemCaseSensitive(m, "body");
  if (!cJSON_IsString(id) || !cJSON_IsNumber(status)) return;
  cJSON *body = cJSON_IsString(body_text) ? cJSON_Parse(body_text->valuestring) : NULL;
  if (strcmp(id->valuestring, "pairing_open") == 0 && status->valuedouble == 200 && body) {
    copy_string(s->pairing_link, sizeof s->pairing_link, cJSON_GetObjectItemCaseSensitive(body, "link"));
    copy_string(s->pairing_code, sizeof s->pairing_code, cJSON_GetObjectItemCaseSensitive(body, "typed_code"));
    s->pairing_open = s->pairing_link[0] != 0;
  } else if (strcmp(id->valuestring, "pairing_close") == 0) {
    s->pairing_open = false;
  } else if (strcmp(id->valuestring, "statistics") == 0 && status->valuedouble == 200 && body) {
    apply_statistics(s, body);
  }
  cJSON_Delete(body);
}

bool hub_message_apply(display_state_t *s, const char *json) {
  cJSON *m = cJSON_Parse(json);
  if (!m) return false;
  const cJSON *type = cJSON_GetObjectItemCaseSensitive(m, "type");
  const char *t = cJSON_IsString(type) ? type->valuestring : "";
  if (strcmp(t, "snapshot") == 0) {
    apply_fields(s, cJSON_GetObjectItemCaseSensitive(m, "state"));
    const cJSON *link = cJSON_GetObjectItemCaseSensitive(m, "link");
    if (cJSON_IsString(link)) s->controller_up = strcmp(link->valuestring, "up") == 0;
  } else if (strcmp(t, "delta") == 0) {
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(m, "changes");
    bool was_brewing = s->brewing;
    apply_fields(s, changes);
    if (s->brewing && !was_brewing) s->shot_samples = 0;
    if (s->brewing && (cJSON_GetObjectItemCaseSensitive(changes, "pressure_bar") ||
                       cJSON_GetObjectItemCaseSensitive(changes, "weight_g")))
      display_state_add_sample(s);
  } else if (strcmp(t, "shot_recorded") == 0 || strcmp(t, "shot_updated") == 0) {
    apply_shot(s, cJSON_GetObjectItemCaseSensitive(m, "shot"));
  } else if (strcmp(t, "next_shot") == 0) {
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(m, "next_shot");
    copy_number(&s->dose_g, cJSON_GetObjectItemCaseSensitive(n, "dose_g"));
    const cJSON *target = cJSON_GetObjectItemCaseSensitive(n, "target_g");
    s->target_g = cJSON_IsNumber(target) ? (float)target->valuedouble : 0.0f;
  } else if (strcmp(t, "http_result") == 0) {
    apply_http_result(s, m);
  }
  cJSON_Delete(m);
  return true;
}

int hub_command_power(char *out, size_t n, int id, bool on) {
  return snprintf(out, n, "{\"type\":\"command\",\"id\":%d,\"command\":{\"type\":\"set_mode\",\"mode\":\"%s\"}}", id,
                  on ? "brew" : "standby");
}

/* The recipe the hub keeps (next_shot), as the app and Home Assistant start it. */
int hub_command_start_shot(char *out, size_t n, int id, const display_state_t *s) {
  char target[32] = "";
  if (s->target_g > 0) snprintf(target, sizeof target, ",\"target_g\":%.1f", (double)s->target_g);
  return snprintf(out, n,
                  "{\"type\":\"command\",\"id\":%d,\"command\":{\"type\":\"start_shot\",\"dose_g\":%.1f%s,"
                  "\"require_scale\":false}}",
                  id, (double)s->dose_g, target);
}

int hub_command_stop_shot(char *out, size_t n, int id) {
  return snprintf(out, n, "{\"type\":\"command\",\"id\":%d,\"command\":{\"type\":\"stop_shot\"}}", id);
}

int hub_command_clear_fault(char *out, size_t n, int id) {
  return snprintf(out, n, "{\"type\":\"command\",\"id\":%d,\"command\":{\"type\":\"clear_fault\"}}", id);
}

int hub_request_pairing(char *out, size_t n, bool open) {
  return open
             ? snprintf(out, n,
                        "{\"type\":\"http\",\"id\":\"pairing_open\",\"method\":\"POST\",\"path\":\"/api/pairing/code\","
                        "\"body\":\"{}\"}")
             : snprintf(
                   out, n,
                   "{\"type\":\"http\",\"id\":\"pairing_close\",\"method\":\"DELETE\",\"path\":\"/api/pairing/code\"}");
}

int hub_request_statistics(char *out, size_t n) {
  return snprintf(out, n, "{\"type\":\"http\",\"id\":\"statistics\",\"method\":\"GET\",\"path\":\"/api/statistics\"}");
}
