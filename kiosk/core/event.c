/*
 * event.c - names for event types (logs, scripts).
 *
 * Owns: the stable spelling of each event type; scripts and logs depend on
 * it, so a name never changes once released. Never allocates; an unknown
 * value gives "?".
 */
#include "event.h"

const char *event_type_name(enum event_type t)
{
    switch (t) {
    case EV_NONE:
        return "none";
    case EV_TOUCH_DOWN:
        return "touch-down";
    case EV_TOUCH_MOVE:
        return "touch-move";
    case EV_TOUCH_UP:
        return "touch-up";
    case EV_KEY:
        return "key";
    case EV_TEXT:
        return "text";
    case EV_SCAN:
        return "scan";
    case EV_TICK:
        return "tick";
    case EV_PRINT_DONE:
        return "print-done";
    case EV_QUIT:
        return "quit";
    }
    return "?";
}
