/* Core 1: owns UART0. The RX interrupt fills rx_ring; the loop drains tx_ring into the UART FIFO.
 * Core 0 never touches the UART, so a slow link can never delay control. */
#include "link_core1.h"

#include "board.h"
#include "hardware/irq.h"
#include "hardware/uart.h"
#include "pico/flash.h"
#include "pico/multicore.h"
#include "pico/stdlib.h"

spsc_ring_t link_rx_ring;
spsc_ring_t link_tx_ring;
volatile uint32_t link_core1_alive;

static void on_uart_rx(void) {
  while (uart_is_readable(BOARD_LINK_UART)) {
    uint8_t b = (uint8_t)uart_getc(BOARD_LINK_UART);
    (void)spsc_put(&link_rx_ring, &b, 1);
  }
}

static void core1_main(void) {
  (void)flash_safe_execute_core_init(); /* lets core 0 pause us while it writes config flash */
  uart_init(BOARD_LINK_UART, BOARD_LINK_BAUD);
  gpio_set_function(BOARD_PIN_LINK_TX, GPIO_FUNC_UART);
  gpio_set_function(BOARD_PIN_LINK_RX, GPIO_FUNC_UART);
  uart_set_hw_flow(BOARD_LINK_UART, false, false);
  uart_set_format(BOARD_LINK_UART, 8, 1, UART_PARITY_NONE);
  uart_set_fifo_enabled(BOARD_LINK_UART, true);
  irq_set_exclusive_handler(UART0_IRQ, on_uart_rx);
  irq_set_enabled(UART0_IRQ, true);
  uart_set_irq_enables(BOARD_LINK_UART, true, false);
  for (;;) {
    uint8_t b;
    while (uart_is_writable(BOARD_LINK_UART) && spsc_get(&link_tx_ring, &b, 1) == 1) {
      uart_putc_raw(BOARD_LINK_UART, (char)b);
    }
    link_core1_alive++;
    tight_loop_contents();
  }
}

void link_core1_start(void) {
  multicore_launch_core1(core1_main);
}
