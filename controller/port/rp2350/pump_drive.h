/* Pump output drive of the reference board (relay, pulse-skip modulation or PWM; see board.h). */
#ifndef BREWOS_PUMP_DRIVE_H
#define BREWOS_PUMP_DRIVE_H

#include <stdint.h>

void pump_drive_init(void);
/* Power 0..1000 permille; 0 switches the pump off at once. */
void pump_drive_set(uint16_t pmil);
void on_zero_cross_irq(void);

#endif
