/*
 * vcard.h - vCard (2.1, 3.0, 4.0) and MECARD reading, and the vCard writer.
 *
 * Pure text handling: bytes in, a struct contact out (readers), or a struct
 * contact in, a compact vCard out (writer). No I/O, no allocation.
 */
#ifndef KIOSK_VCARD_H
#define KIOSK_VCARD_H

#include <stddef.h>

#include "contact.h"
#include "err.h"

/* Longest vCard vcard_write can produce for one contact with every field at
 * its limit and an extra_note shorter than KIOSK_NOTE_MAX, escaped and
 * folded: a buffer this size never sees -1 for "does not fit". */
#define VCARD_WRITE_MAX 20480

/*
 * Write c as a compact vCard of the given version (3 = RFC 2426, 4 = RFC 6350):
 * BEGIN, VERSION, N, FN, ORG, TITLE, EMAIL*, TEL*, URL, NOTE, END, each line
 * ended by CRLF, text values escaped (\\ \, \; \n), lines folded at 75 octets
 * without splitting a UTF-8 sequence; in URL, which is a URI and not text,
 * ',' ';' and '\\' are percent-encoded instead. Empty fields are omitted
 * (FN is always written, as both RFCs require it). extra_note (may be NULL
 * or empty) is appended to NOTE on a new line, e.g. "Met at FOSDEM: Rust".
 *
 * Returns the length written (buf is NUL-terminated, the NUL not counted),
 * or -1 with err set when the version is not 3 or 4, a field is not valid
 * UTF-8, a URL holds control characters, or the result (with its NUL) does
 * not fit in size bytes. After a failure buf holds an empty string (if
 * size > 0). The caller owns buf; nothing is kept.
 */
int vcard_write(const struct contact *c, int version /* 3 or 4 */, const char *extra_note,
                char *buf, size_t size, struct err *err);

/*
 * Parse a vCard (2.1, 3.0 or 4.0; the payload must start with BEGIN:VCARD,
 * case-insensitive, after optional whitespace/BOM) into out, which is
 * cleared first. Handles folding (CRLF or LF + space/tab), 2.1 quoted-
 * printable soft line breaks, CHARSET=ISO-8859-1/Latin-1/Windows-1252
 * transcoding to UTF-8, grouped names (item1.EMAIL), escapes, structured N
 * and ORG, several EMAIL/TEL, and skips PHOTO/LOGO/SOUND/KEY blobs.
 * out->format becomes "vcard21", "vcard3" or "vcard4".
 *
 * Returns 0 on success; -1 when the card is malformed, truncated (no
 * END:VCARD), not UTF-8 where no charset says otherwise, or a field exceeds
 * its limit - reason (may be NULL) then gets one short sentence and out is
 * left in an unspecified but valid (NUL-terminated) state.
 */
int vcard_parse(const char *data, size_t len, struct contact *out, char *reason,
                size_t reason_size);

/*
 * Parse a MECARD ("MECARD:N:Last,First;TEL:...;EMAIL:...;;") into out
 * (cleared first). Understands N, SOUND (ignored), TEL, TEL-AV, EMAIL, ORG,
 * TITLE (vendor), URL, NOTE, ADR (ignored), BDAY (ignored), NICKNAME and the
 * vendor field UID (kept as out->ref); backslash escapes \; \: \, \\.
 * out->format becomes "mecard". Returns 0, or -1 with reason as vcard_parse.
 */
int vcard_parse_mecard(const char *data, size_t len, struct contact *out, char *reason,
                       size_t reason_size);

#endif
