/*
 * limits.h - every bound the kiosk puts on data that comes from outside.
 *
 * Anything read from a badge, a roster, a config file or a camera is checked
 * against one of these before it is stored. Past a limit the input is refused
 * with a message naming the limit; it is never silently truncated.
 */
#ifndef KIOSK_LIMITS_H
#define KIOSK_LIMITS_H

/* Badge payloads: a QR code holds at most 2953 bytes in binary mode; allow a
 * little more for keyboard-wedge scanners that may add prefixes. */
#define KIOSK_PAYLOAD_MAX 4096

/* Contact fields (bytes, UTF-8, including the terminating NUL). */
#define KIOSK_NAME_MAX   256 /* display, given and family name */
#define KIOSK_ORG_MAX    256
#define KIOSK_TITLE_MAX  256
#define KIOSK_EMAIL_MAX  256
#define KIOSK_PHONE_MAX  64
#define KIOSK_URL_MAX    1024
#define KIOSK_NOTE_MAX   2048
#define KIOSK_REF_MAX    256 /* attendee reference: ticket secret, id, ... */
#define KIOSK_PITCH_MAX  256
#define KIOSK_OBJ_MAX    512 /* comma-separated objectives */
#define KIOSK_ANSWERS_MAX 4096 /* a booth lead's answers, as JSON */
#define KIOSK_FORMAT_MAX 32  /* detected badge format name */
#define KIOSK_EMAILS_MAX 4   /* e-mail addresses kept per contact */
#define KIOSK_PHONES_MAX 4   /* phone numbers kept per contact */

/* Identifiers: a UUID as text is 36 characters. */
#define KIOSK_ID_LEN 37
#define KIOSK_KIOSK_ID_MAX 64

/* Config files and rosters. */
#define KIOSK_CONFIG_LINE_MAX 4096
#define KIOSK_CONFIG_VALUE_MAX 1024
#define KIOSK_ROSTER_ROWS_MAX 1000000
#define KIOSK_CSV_FIELD_MAX 8192
#define KIOSK_CSV_FIELDS_MAX 256
#define KIOSK_CSV_ROW_MAX 65536 /* bytes of one record, all fields together */

/* Camera frames and image files (decode, camera backends). */
#define KIOSK_FRAME_SIDE_MAX 8192  /* widest/tallest frame or image accepted */
#define KIOSK_CODES_PER_FRAME 8    /* codes reported per frame; more are ignored by count */
#define KIOSK_SCAN_QUEUE 4         /* decoder thread results not yet taken by the UI */
#define KIOSK_FILES_MAX 100000     /* image files in a files: camera directory */

/* Messages carried in error structs and events. */
#define KIOSK_MSG_MAX 256

#endif
