/* What a controller alarm means and what to do, in words (generated: alarm_words_gen.c). */
#ifndef BREWOS_DISPLAY_ALARM_WORDS_H
#define BREWOS_DISPLAY_ALARM_WORDS_H

typedef struct {
  const char *code;
  const char *title;
  const char *action;
} alarm_words_t;

/* NULL for a code this build does not know. */
const alarm_words_t *alarm_words_for(const char *code);

#endif
