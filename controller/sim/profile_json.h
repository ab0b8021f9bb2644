/* Reads the JSON profile format (protocol/profile/README.md) into the controller's profile struct,
 * strictly: unknown keys, wrong types and out-of-range values are errors naming their place. */
#ifndef BREWOS_SIM_PROFILE_JSON_H
#define BREWOS_SIM_PROFILE_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "profile/profile.h"

struct cJSON;

bool profile_from_json(const struct cJSON *j, profile_t *p, char *err, size_t err_len);
/* A bundled profile by id, from protocol/profile/bundled. */
bool profile_load_bundled(const char *id, profile_t *p, char *err, size_t err_len);

#endif
