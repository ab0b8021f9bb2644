/*
 * LVGL 9.5 options for the BrewOS machine display. Only what differs from LVGL's defaults
 * (src/lv_conf_internal.h supplies every other option). The same file builds the UI for Linux
 * (framebuffer, evdev touch, headless PNG) and for a Cortex-M33 panel; BREWOS_DISPLAY_LINUX turns
 * the Linux drivers on.
 */
#ifndef LV_CONF_H
#define LV_CONF_H

#define LV_COLOR_DEPTH 16 /* RGB565: what SPI and parallel panels take; half the memory of 32 bit */

/* LVGL's own heap for widgets and styles (a chart and a QR code included). */
#define LV_MEM_SIZE (160U * 1024U)

#define LV_DEF_REFR_PERIOD 33 /* ms: about 30 frames a second at most */
#define LV_DPI_DEF 160

#define LV_USE_LOG 0
#define LV_USE_ASSERT_NULL 1
#define LV_USE_ASSERT_MALLOC 1

/* Fonts: body, labels, big numbers. Montserrat carries the degree sign. */
#define LV_FONT_MONTSERRAT_14 1
#define LV_FONT_MONTSERRAT_20 1
#define LV_FONT_MONTSERRAT_28 1
#define LV_FONT_MONTSERRAT_48 1
#define LV_FONT_DEFAULT &lv_font_montserrat_20

/* The pairing QR code. */
#define LV_USE_QRCODE 1

/* Not built: animations' extra widgets, the file system, images from files, demos and examples. */
#define LV_USE_CALENDAR 0
#define LV_USE_KEYBOARD 0
#define LV_USE_LIST 0
#define LV_USE_MENU 0
#define LV_USE_SPINBOX 0
#define LV_USE_TABVIEW 0
#define LV_USE_TILEVIEW 0
#define LV_USE_WIN 0
#define LV_USE_IMAGEBUTTON 0
#define LV_USE_ANIMIMG 0
#define LV_USE_LOTTIE 0
#define LV_USE_THORVG_INTERNAL 0
#define LV_BUILD_EXAMPLES 0
#define LV_BUILD_DEMOS 0

/* Widgets the UI does not use (the default theme would otherwise pull them into the image). */
#define LV_USE_ARC 0
#define LV_USE_SPINNER 0
#define LV_USE_BUTTONMATRIX 0
#define LV_USE_CHECKBOX 0
#define LV_USE_DROPDOWN 0
#define LV_USE_LED 0
#define LV_USE_MSGBOX 0
#define LV_USE_ROLLER 0
#define LV_USE_SCALE 0
#define LV_USE_SLIDER 0
#define LV_USE_SPAN 0
#define LV_USE_SWITCH 0
#define LV_USE_TABLE 0
#define LV_USE_TEXTAREA 0
#define LV_USE_GRID 0

#ifdef BREWOS_DISPLAY_LINUX
#define LV_USE_LINUX_FBDEV 1
#define LV_USE_EVDEV 1
#else
/* A microcontroller panel draws RGB565 only: no blending code for the other pixel formats. */
#define LV_DRAW_SW_SUPPORT_RGB565_SWAPPED 0
#define LV_DRAW_SW_SUPPORT_RGB565A8 0
#define LV_DRAW_SW_SUPPORT_RGB888 0
#define LV_DRAW_SW_SUPPORT_XRGB8888 0
#define LV_DRAW_SW_SUPPORT_ARGB8888 0
#define LV_DRAW_SW_SUPPORT_ARGB8888_PREMULTIPLIED 0
#define LV_DRAW_SW_SUPPORT_L8 0
#define LV_DRAW_SW_SUPPORT_AL88 0
#define LV_DRAW_SW_SUPPORT_I1 0
#endif

#endif /* LV_CONF_H */
