/*
 * app.c - the kiosk's state machine and every screen it shows.
 *
 * Owns: the current screen and the people in the current flow, what each
 * screen declares (through ui.h), the scan pipeline (parse, resolve, commit
 * to the scans table, then react), the consent rule (nothing is saved as a
 * handshake, printed or shown as a QR card unless both people tapped their
 * own consent), idle wipe, admin PIN with lockout (state in the settings
 * table so it survives a restart).
 * Never: includes SDL or device headers, reads a clock (now comes from each
 * event), logs personal data, reacts on screen to a scan before its row
 * committed.
 * Start at app_event(); screens are the scr_*() functions; each is called
 * once per pass and both draws and handles its widgets (immediate mode).
 */
#include "app.h"

#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "badge.h"
#include "contact.h"
#include "json.h"
#include "keyboard.h"
#include "pin.h"
#include "store_app.h"
#include "store_followup.h"
#include "tzone.h"
#include "utf8.h"
#include "vcard.h"

#define LONGPRESS_MS 2000
#define MESSAGE_MS 10000
#define TOAST_MS 3500
#define TIP_MS 7000
#define FLASH_MS 350
#define IDLE_WARN_MS 10000 /* the idle countdown shows this long before the timeout */
#define HISTORY_MAX 6
#define CONNS_MAX 12
#define TAGS_MAX 12
#define TAG_LEN 32
#define Q_MAX 6
#define Q_OPTS_MAX 6
#define Q_ID_LEN 24
#define Q_LABEL_LEN 96
#define Q_TEXT_LEN 128
#define QR_SIDE_MAX 177
#define HOURS_PLOTTED 12

static const char *const obj_ids[] = {"mentorship", "hiring",   "job-seeking",
                                      "collaboration", "learning", "investing"};
/* Objective labels are translated: words[S_OBJ_MENTORSHIP + i]. */
#define NOBJ 6

/* ---- words ------------------------------------------------------------- */

enum { LANG_EN, LANG_DE, LANG_FR, LANG_ES, NLANG };
static const char *const lang_codes[NLANG] = {"en", "de", "fr", "es"};

enum str {
    S_LANG_NAME,
    S_HEADLINE,
    S_SUB_HS,
    S_SUB_BOOTH,
    S_TIP_TITLE,
    S_TIP1,
    S_TIP2,
    S_TIP3,
    S_TIP4,
    S_TIP5,
    S_TIP6,
    S_CONNECTIONS,
    S_LARGE,
    S_CONTRAST,
    S_BADGE_HERE,
    S_STEP1,
    S_STEP2,
    S_STEP3,
    S_YOUR_CARD,
    S_HELLO,
    S_NEXT_SCAN,
    S_SHARED_ONLY,
    S_PITCH,
    S_PITCH_HINT,
    S_HERE_FOR,
    S_START_OVER,
    S_SAVE_CARD,
    S_SHARE_Q,
    S_SHARE_WITH,
    S_SHARING_WITH,
    S_NOTE,
    S_NOTE_HINT,
    S_TALKED,
    S_FOLLOWUP,
    S_FU_NONE,
    S_FU_TOMORROW,
    S_FU_WEEK,
    S_CANCEL,
    S_CONNECT,
    S_BOTH_TAP,
    S_CONNECTED,
    S_YOURE_CONNECTED,
    S_HAVE_CARDS,
    S_REMIND_TOMORROW,
    S_REMIND_WEEK,
    S_PRINT_SLIPS,
    S_SHOW_QR,
    S_DONE,
    S_SAVE_PHONE,
    S_SCAN_TO_SAVE,
    S_BACK,
    S_NOT_BADGE,
    S_SHOW_BADGE_QR,
    S_CANT_READ,
    S_HOLD_FLAT,
    S_UNKNOWN,
    S_UNKNOWN_BODY,
    S_SAVE_FAIL,
    S_SAVE_FAIL_BODY,
    S_SCAN_CONN,
    S_CONN_BODY,
    S_CONN_TITLE,
    S_CONN_TITLE1,
    S_NO_CONN,
    S_PRINT_SUMMARY,
    S_OBJ_MENTORSHIP,
    S_OBJ_HIRING,
    S_OBJ_JOB,
    S_OBJ_COLLAB,
    S_OBJ_LEARNING,
    S_OBJ_INVESTING,
    /* booth staff: the lead screen */
    S_L_NEW,
    S_L_RETURNING,
    S_L_VISITOR,
    S_L_SEEN,
    S_L_TAKEN_BY,
    S_L_NOTE_ADD,
    S_L_NOTE_NEW,
    S_L_EARLIER,
    S_L_JUST_NOW,
    S_L_MIN_AGO,
    S_L_H_AGO,
    S_L_RATING,
    S_L_TAGS,
    S_L_ANSWER,
    S_L_SAVE,
    S_L_MORE_Q,
    S_L_FIRST_Q,
    /* staff: toasts, the mode pill, the PIN and admin screens */
    S_T_LEAD_SAVED,
    S_T_LEAD_FAIL,
    S_T_SAVE_OR_CANCEL,
    S_T_FINISH_TYPING,
    S_T_SCAN_PAUSED,
    S_T_PRINTING_SLIPS,
    S_T_NO_PRINTER_QR,
    S_T_PRINTING_SUMMARY,
    S_T_NO_PRINTER,
    S_T_SLIP_READY,
    S_T_PRINTER_PROBLEM,
    S_M_BOOTH,
    S_M_NETWORKING,
    S_P_STAFF_ONLY,
    S_P_ENTER,
    S_P_LOCKED,
    S_P_NO_PIN,
    S_P_TOO_MANY,
    S_P_WRONG,
    S_P_WRONG1,
    S_A_TITLE,
    S_A_SCANS,
    S_A_ATTENDEES,
    S_A_HANDSHAKES,
    S_A_LEADS,
    S_A_ROSTER,
    S_A_PER_HOUR,
    S_A_NOW,
    S_A_MODE,
    S_A_DEVICES,
    S_A_TEST_PRINTER,
    S_A_TEST_CAMERA,
    S_A_TEST_SENT,
    S_A_DATA,
    S_A_EXPORT,
    S_A_EXPORTING,
    S_A_EXPORT_NA,
    S_A_EXPORT_STARTED,
    S_A_EXPORT_DONE,
    S_A_EXPORT_FAILED,
    S_A_FILES,
    S_A_FORGET,
    S_A_EXIT,
    S_A_CLOSE,
    S_A_EXIT_ASK,
    S_A_EXIT_YES,
    S_A_EXIT_NO,
    S_KB_SPACE,
    S_A_CAMERA_TEST,
    S_A_HOLD_ANY,
    S_A_NO_READ,
    /* the two forget screens */
    S_F_TITLE,
    S_F_HOLD,
    S_F_SCAN,
    S_F_EXPLAIN,
    S_F_ASK,
    S_F_KEEP,
    S_F_ERASE,
    S_F_ERASE_FAIL,
    S_F_ERASED,
    S_F_UNKNOWN,
    /* attendee toasts and placeholders */
    S_T_SCAN_NOT_SAVED,
    S_T_NOT_SAVED,
    S_T_CARD_FAIL,
    S_T_CARD_SAVED,
    S_T_OWN_BADGE,
    S_T_CONNS_FAIL,
    S_T_TOO_LONG,
    S_T_ANSWERS_TOO_LONG,
    S_T_LEAD_UNREADABLE,
    S_CAM_NA,
    S_CAM_NA_HINT,
    S_USE_SCANNER,
    S_CAM_NONE,
    S_CAM_UNAVAILABLE,
    S_CAM_LOST,
    S_QR_TOO_LARGE,
    /* the idle countdown and the discard question (staff and attendees) */
    S_IDLE_LEAD,
    S_IDLE_ATTENDEE,
    S_IDLE_CLOSING,
    S_IDLE_SAVING,
    S_L_DISCARD_Q,
    S_L_DISCARD,
    S_L_KEEP_EDITING,
    S_T_SLIPS_READY,
    S_A_TEST_DONE,
    S_A_TEST_FAILED,
    S_N_LEAD,
    S_N_LEADS,
    S_N_CONTACT,
    S_N_CONTACTS,
    S_A_EXPORT_COUNTS,
    S_A_EXPORTED,
    S_A_UNPLUG,
    /* the admin counters for one (French: zero or one) */
    S_A_SCAN1,
    S_A_ATTENDEE1,
    S_A_HANDSHAKE1,
    S_A_LEAD1,
    S_A_ROSTER1,
    NSTR
};
#define NTIPS 6

static const char *const words[NSTR][NLANG] = {
    [S_LANG_NAME] = {"English", "Deutsch", "Fran\xC3\xA7" "ais", "Espa\xC3\xB1ol"},
    [S_HEADLINE] = {"Hold your badge up to the camera", "Halten Sie Ihr Namensschild vor die Kamera",
                    "Pr\xC3\xA9sentez votre badge \xC3\xA0 la cam\xC3\xA9ra",
                    "Acerque su acreditaci\xC3\xB3n a la c\xC3\xA1mara"},
    [S_SUB_HS] = {"Swap contact details with someone you just met \xE2\x80\x94 only if you both agree.",
                  "Tauschen Sie Kontaktdaten mit jemandem, den Sie gerade getroffen haben \xE2\x80\x94 "
                  "nur wenn beide zustimmen.",
                  "\xC3\x89" "changez vos coordonn\xC3\xA9" "es avec une personne rencontr\xC3\xA9" "e "
                  "\xE2\x80\x94 seulement si vous \xC3\xAAtes d'accord tous les deux.",
                  "Intercambie sus datos con alguien que acaba de conocer \xE2\x80\x94 solo si ambos "
                  "est\xC3\xA1n de acuerdo."},
    [S_SUB_BOOTH] = {"Visitors: show your badge to our team to stay in touch.",
                     "Besucher: Zeigen Sie unserem Team Ihr Namensschild, um in Kontakt zu bleiben.",
                     "Visiteurs : montrez votre badge \xC3\xA0 notre \xC3\xA9quipe pour rester en "
                     "contact.",
                     "Visitantes: muestren su acreditaci\xC3\xB3n a nuestro equipo para seguir en "
                     "contacto."},
    [S_TIP_TITLE] = {"Networking tip", "Networking-Tipp", "Conseil r\xC3\xA9seau",
                     "Consejo de networking"},
    [S_TIP1] = {"Follow up within two days, while the conversation is fresh.",
                "Melden Sie sich innerhalb von zwei Tagen, solange das Gespr\xC3\xA4" "ch frisch ist.",
                "Relancez dans les deux jours, tant que la conversation est fra\xC3\xAE" "che.",
                "Haga seguimiento en dos d\xC3\xAD" "as, mientras la conversaci\xC3\xB3n est\xC3\xA1 "
                "fresca."},
    [S_TIP2] = {"Offer value first: an introduction, a link, an idea.",
                "Bieten Sie zuerst etwas an: einen Kontakt, einen Link, eine Idee.",
                "Donnez d'abord : une mise en relation, un lien, une id\xC3\xA9" "e.",
                "Ofrezca valor primero: una presentaci\xC3\xB3n, un enlace, una idea."},
    [S_TIP3] = {"Listen more than you talk; ask what they are working on.",
                "H\xC3\xB6ren Sie mehr zu, als Sie reden; fragen Sie, woran andere arbeiten.",
                "\xC3\x89" "coutez plus que vous ne parlez ; demandez sur quoi ils travaillent.",
                "Escuche m\xC3\xA1s de lo que habla; pregunte en qu\xC3\xA9 trabajan."},
    [S_TIP4] = {"Add a one-line note now: future you will thank you.",
                "Notieren Sie jetzt eine Zeile: Ihr zuk\xC3\xBCnftiges Ich wird es Ihnen danken.",
                "Ajoutez une note d'une ligne maintenant : vous vous en remercierez.",
                "A\xC3\xB1" "ada una nota breve ahora: se lo agradecer\xC3\xA1 m\xC3\xA1s tarde."},
    [S_TIP5] = {"Say what you are looking for: people can only help if they know.",
                "Sagen Sie, was Sie suchen: Andere k\xC3\xB6nnen nur helfen, wenn sie es wissen.",
                "Dites ce que vous cherchez : on ne peut aider que si l'on sait.",
                "Diga lo que busca: solo pueden ayudarle si lo saben."},
    [S_TIP6] = {"Quality beats quantity: three real conversations beat thirty cards.",
                "Qualit\xC3\xA4t vor Quantit\xC3\xA4t: drei echte Gespr\xC3\xA4" "che schlagen "
                "drei\xC3\x9Fig Karten.",
                "La qualit\xC3\xA9 avant la quantit\xC3\xA9 : trois vraies conversations valent "
                "mieux que trente cartes.",
                "Calidad antes que cantidad: tres conversaciones reales valen m\xC3\xA1s que treinta "
                "tarjetas."},
    [S_CONNECTIONS] = {"My connections", "Meine Kontakte", "Mes contacts", "Mis contactos"},
    [S_LARGE] = {"Larger text", "Gr\xC3\xB6\xC3\x9F" "erer Text", "Texte agrandi", "Texto grande"},
    [S_CONTRAST] = {"High contrast", "Hoher Kontrast", "Contraste \xC3\xA9lev\xC3\xA9",
                    "Alto contraste"},
    [S_BADGE_HERE] = {"Hold the QR code inside the frame", "QR-Code in den Rahmen halten",
                      "Placez le code QR dans le cadre", "Coloque el c\xC3\xB3" "digo QR en el marco"},
    [S_STEP1] = {"Scan your badge", "Namensschild scannen", "Scannez votre badge",
                 "Escanee su acreditaci\xC3\xB3n"},
    [S_STEP2] = {"Your contact scans theirs", "Ihr Kontakt scannt seines",
                 "Votre contact scanne le sien", "Su contacto escanea la suya"},
    [S_STEP3] = {"Both agree, and you're connected", "Beide stimmen zu \xE2\x80\x94 verbunden",
                 "Vous acceptez tous les deux : connect\xC3\xA9s",
                 "Ambos aceptan y quedan conectados"},
    [S_YOUR_CARD] = {"Your card", "Ihre Karte", "Votre carte", "Su tarjeta"},
    [S_HELLO] = {"Hello, {1}!", "Hallo, {1}!", "Bonjour, {1} !", "¡Hola, {1}!"},
    [S_NEXT_SCAN] = {"Next: the person you met scans their badge",
                     "Als Nächstes scannt Ihr Gegenüber sein Namensschild",
                     "Ensuite : votre contact scanne son badge",
                     "Ahora: la otra persona escanea su acreditación"},
    [S_SHARED_ONLY] = {"Your card is shared only when you both agree.",
                       "Ihre Karte wird nur geteilt, wenn Sie beide zustimmen.",
                       "Votre carte n'est partagée que si vous êtes d'accord tous les deux.",
                       "Su tarjeta solo se comparte si ambos están de acuerdo."},
    [S_PITCH] = {"Pitch", "Pitch", "Accroche", "Presentación"},
    [S_PITCH_HINT] = {"Add a one-line pitch (optional)",
                      "Ein Satz über Sie (optional)",
                      "Ajoutez une phrase d'accroche (facultatif)",
                      "Añada una frase sobre usted (opcional)"},
    [S_HERE_FOR] = {"I'm here for", "Ich suche", "Je suis là pour", "Busco"},
    [S_START_OVER] = {"Start over", "Neu beginnen", "Recommencer", "Empezar de nuevo"},
    [S_SAVE_CARD] = {"Save my card",
                     "Karte speichern",
                     "Enregistrer ma carte",
                     "Guardar mi tarjeta"},
    [S_SHARE_Q] = {"Share contacts?",
                   "Kontakte teilen?",
                   "Partager vos contacts ?",
                   "¿Compartir contactos?"},
    [S_SHARE_WITH] = {"Share my card with {1}",
                      "Meine Karte mit {1} teilen",
                      "Partager ma carte avec {1}",
                      "Compartir mi tarjeta con {1}"},
    [S_SHARING_WITH] = {"✓ Sharing with {1}",
                        "✓ Geteilt mit {1}",
                        "✓ Partagée avec {1}",
                        "✓ Compartida con {1}"},
    [S_NOTE] = {"Note", "Notiz", "Note", "Nota"},
    [S_NOTE_HINT] = {"Add a note about what you talked about",
                     "Notieren Sie, worüber Sie gesprochen haben",
                     "Notez ce dont vous avez parlé",
                     "Anote de qué hablaron"},
    [S_TALKED] = {"We talked about", "Wir sprachen über", "Nous avons parlé de", "Hablamos de"},
    [S_FOLLOWUP] = {"Follow-up", "Nachfassen", "Relance", "Seguimiento"},
    [S_FU_NONE] = {"None", "Keine", "Aucune", "Ninguno"},
    [S_FU_TOMORROW] = {"Tomorrow", "Morgen", "Demain", "Mañana"},
    [S_FU_WEEK] = {"Next week", "Nächste Woche", "Semaine prochaine", "Próxima semana"},
    [S_CANCEL] = {"Cancel", "Abbrechen", "Annuler", "Cancelar"},
    [S_CONNECT] = {"Connect", "Verbinden", "\xC3\x89" "changer nos cartes", "Conectar"},
    [S_BOTH_TAP] = {"Both tap “Share” to connect",
                    "Beide tippen auf „Teilen“",
                    "Touchez tous deux « Partager »",
                    "Ambos toquen «Compartir»"},
    [S_CONNECTED] = {"Connected", "Verbunden", "Connectés", "Conectados"},
    [S_YOURE_CONNECTED] = {"You're connected!",
                           "Sie sind verbunden!",
                           "Vous êtes connectés !",
                           "¡Están conectados!"},
    [S_HAVE_CARDS] = {"{1} and {2} now have each other's card.",
                      "{1} und {2} haben jetzt die Karte des anderen.",
                      "{1} et {2} ont maintenant la carte de l'autre.",
                      "{1} y {2} ya tienen la tarjeta del otro."},
    [S_REMIND_TOMORROW] = {"We'll remind you tomorrow to follow up.",
                           "Wir erinnern Sie morgen ans Nachfassen.",
                           "Nous vous rappellerons demain de relancer.",
                           "Mañana les recordaremos hacer seguimiento."},
    [S_REMIND_WEEK] = {"We'll remind you next week to follow up.",
                       "Wir erinnern Sie nächste Woche ans Nachfassen.",
                       "Nous vous rappellerons de relancer la semaine prochaine.",
                       "La próxima semana les recordaremos hacer seguimiento."},
    [S_PRINT_SLIPS] = {"Print slips", "Zettel drucken", "Imprimer", "Imprimir"},
    [S_SHOW_QR] = {"Show QR codes",
                   "QR-Codes zeigen",
                   "Afficher les QR",
                   "Ver códigos QR"},
    [S_DONE] = {"Done", "Fertig", "Terminé", "Listo"},
    [S_SAVE_PHONE] = {"Save to your phone",
                      "Aufs Handy speichern",
                      "Enregistrer sur votre téléphone",
                      "Guardar en su móvil"},
    [S_SCAN_TO_SAVE] = {"{1}, scan to save {2}",
                        "{1}: scannen, um {2} zu speichern",
                        "{1}, scannez pour enregistrer {2}",
                        "{1}, escanee para guardar a {2}"},
    [S_BACK] = {"Back", "Zurück", "Retour", "Volver"},
    [S_NOT_BADGE] = {"That code isn't a conference badge",
                     "Dieser Code ist kein Namensschild",
                     "Ce code n'est pas un badge de la conférence",
                     "Ese código no es una acreditación"},
    [S_SHOW_BADGE_QR] = {"Please show the QR code printed on your badge.",
                         "Bitte zeigen Sie den QR-Code auf Ihrem Namensschild.",
                         "Montrez le code QR imprimé sur votre badge.",
                         "Muestre el código QR impreso en su acreditación."},
    [S_CANT_READ] = {"We couldn't read that code",
                     "Wir konnten den Code nicht lesen",
                     "Nous n'avons pas pu lire ce code",
                     "No pudimos leer ese código"},
    [S_HOLD_FLAT] = {"Hold your badge flat, about a hand's width from the camera, and try again.",
                     "Halten Sie das Namensschild flach, etwa eine Handbreit vor die Kamera, und versuchen Sie es erneut.",
                     "Tenez votre badge à plat, à une main de la caméra, et réessayez.",
                     "Sostenga la acreditación plana, a un palmo de la cámara, e inténtelo de nuevo."},
    [S_UNKNOWN] = {"We don't recognise this badge yet",
                   "Wir kennen dieses Namensschild noch nicht",
                   "Nous ne reconnaissons pas encore ce badge",
                   "Aún no reconocemos esta acreditación"},
    [S_UNKNOWN_BODY] = {"Your badge was read, but it is not in this kiosk's attendee list. The registration desk can add you in a minute.",
                        "Ihr Namensschild wurde gelesen, steht aber nicht in der Teilnehmerliste dieses Kiosks. Die Registrierung hilft Ihnen in einer Minute.",
                        "Votre badge a été lu, mais il n'est pas dans la liste des participants de cette borne. L'accueil peut vous ajouter en une minute.",
                        "Su acreditación se leyó, pero no está en la lista de asistentes de este quiosco. El mostrador de registro puede añadirle en un minuto."},
    [S_SAVE_FAIL] = {"Sorry — this kiosk couldn't save that",
                     "Entschuldigung – der Kiosk konnte das nicht speichern",
                     "Désolé, la borne n'a pas pu enregistrer",
                     "Lo sentimos: el quiosco no pudo guardarlo"},
    [S_SAVE_FAIL_BODY] = {"Nothing was shared. Please try again in a moment, or ask a staff member.",
                          "Es wurde nichts geteilt. Bitte versuchen Sie es gleich noch einmal oder fragen Sie das Personal.",
                          "Rien n'a été partagé. Réessayez dans un instant ou demandez à l'équipe.",
                          "No se compartió nada. Inténtelo de nuevo en un momento o pregunte al personal."},
    [S_SCAN_CONN] = {"Scan your badge to see today's connections",
                     "Scannen Sie Ihr Namensschild für Ihre heutigen Kontakte",
                     "Scannez votre badge pour voir vos contacts du jour",
                     "Escanee su acreditación para ver sus contactos de hoy"},
    [S_CONN_BODY] = {"You'll see everyone you swapped cards with here, and can print a summary slip to take with you.",
                     "Hier sehen Sie alle, mit denen Sie Karten getauscht haben, und können eine Übersicht drucken.",
                     "Vous verrez ici toutes les personnes avec qui vous avez échangé, et pourrez imprimer un récapitulatif.",
                     "Aquí verá a todas las personas con las que intercambió tarjetas y podrá imprimir un resumen."},
    [S_CONN_TITLE] = {"{1}, you made {2} connections today",
                      "{1}, heute {2} Kontakte",
                      "{1}, {2} contacts aujourd'hui",
                      "{1}, {2} contactos hoy"},
    [S_CONN_TITLE1] = {"{1}, you made 1 connection today",
                       "{1}, heute 1 Kontakt",
                       "{1}, 1 contact aujourd'hui",
                       "{1}, 1 contacto hoy"},
    [S_NO_CONN] = {"No connections yet — go and meet someone!",
                   "Noch keine Kontakte – lernen Sie jemanden kennen!",
                   "Pas encore de contacts : allez rencontrer quelqu'un !",
                   "Aún no hay contactos: ¡vaya a conocer a alguien!"},
    [S_PRINT_SUMMARY] = {"Print summary",
                         "Übersicht drucken",
                         "Imprimer le récapitulatif",
                         "Imprimir resumen"},
    [S_OBJ_MENTORSHIP] = {"Mentorship", "Mentoring", "Mentorat", "Mentoría"},
    [S_OBJ_HIRING] = {"Hiring", "Personalsuche", "Recrutement", "Contratación"},
    [S_OBJ_JOB] = {"Job seeking", "Jobsuche", "Recherche d'emploi", "Búsqueda de empleo"},
    [S_OBJ_COLLAB] = {"Collaboration", "Zusammenarbeit", "Collaboration", "Colaboración"},
    [S_OBJ_LEARNING] = {"Learning", "Lernen", "Apprentissage", "Aprendizaje"},
    [S_OBJ_INVESTING] = {"Investing", "Investieren", "Investissement", "Inversión"},
    [S_L_NEW] = {"New lead", "Neuer Lead", "Nouveau contact", "Nuevo contacto"},
    [S_L_RETURNING] = {"Returning visitor", "Bekannter Besucher", "Visiteur déjà vu",
                       "Visitante que vuelve"},
    [S_L_VISITOR] = {"Visitor", "Besucher", "Visiteur", "Visitante"},
    [S_L_SEEN] = {"Seen before", "Schon da gewesen", "Déjà passé", "Ya estuvo aquí"},
    [S_L_TAKEN_BY] = {"Lead taken by {1}", "Lead aufgenommen von {1}", "Contact pris par {1}",
                      "Contacto registrado por {1}"},
    [S_L_NOTE_ADD] = {"Add a note", "Notiz hinzufügen", "Ajouter une note", "Añadir una nota"},
    [S_L_NOTE_NEW] = {"Add a new note (earlier ones are kept)",
                      "Neue Notiz hinzufügen (frühere bleiben erhalten)",
                      "Ajouter une note (les précédentes sont conservées)",
                      "Añadir una nota nueva (las anteriores se conservan)"},
    [S_L_EARLIER] = {"Earlier notes", "Frühere Notizen", "Notes précédentes", "Notas anteriores"},
    [S_L_JUST_NOW] = {"just now", "gerade eben", "à l'instant", "ahora mismo"},
    [S_L_MIN_AGO] = {"{1} min ago", "vor {1} Min.", "il y a {1} min", "hace {1} min"},
    [S_L_H_AGO] = {"{1} h ago", "vor {1} Std.", "il y a {1} h", "hace {1} h"},
    [S_L_RATING] = {"Rating", "Bewertung", "Évaluation", "Valoración"},
    [S_L_TAGS] = {"Tags", "Schlagwörter", "Étiquettes", "Etiquetas"},
    [S_L_ANSWER] = {"Tap to answer", "Zum Antworten tippen", "Touchez pour répondre",
                    "Toque para responder"},
    [S_L_SAVE] = {"Save lead", "Lead speichern", "Enregistrer le contact", "Guardar contacto"},
    [S_L_MORE_Q] = {"More questions \xE2\x80\xBA", "Weitere Fragen \xE2\x80\xBA",
                    "Autres questions \xE2\x80\xBA", "M\xC3\xA1s preguntas \xE2\x80\xBA"},
    [S_L_FIRST_Q] = {"\xE2\x80\xB9 First questions", "\xE2\x80\xB9 Erste Fragen",
                     "\xE2\x80\xB9 Premi\xC3\xA8res questions",
                     "\xE2\x80\xB9 Primeras preguntas"},
    [S_T_LEAD_SAVED] = {"Lead saved.", "Lead gespeichert.", "Contact enregistré.",
                        "Contacto guardado."},
    [S_T_LEAD_FAIL] = {"Sorry, the lead could not be saved. Please try again.",
                       "Lead nicht gespeichert. Bitte erneut versuchen.",
                       "Le contact n'a pas pu être enregistré. Réessayez.",
                       "No se pudo guardar. Inténtelo de nuevo."},
    [S_T_SAVE_OR_CANCEL] = {"Please save or cancel first.", "Bitte erst speichern oder abbrechen.",
                            "Enregistrez ou annulez d'abord.", "Primero guarde o cancele."},
    [S_T_FINISH_TYPING] = {"Finish typing first, then scan again.",
                           "Erst fertig tippen, dann erneut scannen.",
                           "Terminez la saisie, puis scannez à nouveau.",
                           "Termine de escribir y vuelva a escanear."},
    [S_T_SCAN_PAUSED] = {"Scanning is paused while admin is open.",
                         "Scannen ruht, solange die Verwaltung offen ist.",
                         "Le scan est en pause pendant l'administration.",
                         "Escaneo en pausa durante la administración."},
    [S_T_PRINTING_SLIPS] = {"Printing your slips…", "Ihre Zettel werden gedruckt…",
                            "Impression de vos fiches…", "Imprimiendo sus fichas…"},
    [S_T_NO_PRINTER_QR] = {"The printer is not available — use the QR codes.",
                           "Drucker nicht verfügbar – bitte QR-Codes nutzen.",
                           "Imprimante indisponible : utilisez les codes QR.",
                           "Impresora no disponible: use los códigos QR."},
    [S_T_PRINTING_SUMMARY] = {"Printing your summary…", "Ihre Übersicht wird gedruckt…",
                              "Impression de votre récapitulatif…", "Imprimiendo su resumen…"},
    [S_T_NO_PRINTER] = {"The printer is not available.", "Der Drucker ist nicht verfügbar.",
                        "L'imprimante n'est pas disponible.", "La impresora no está disponible."},
    [S_T_SLIP_READY] = {"Your slip is ready — take it from the printer.",
                        "Ihr Zettel liegt im Drucker bereit.",
                        "Votre fiche est prête : prenez-la à l'imprimante.",
                        "Su ficha está lista: recójala en la impresora."},
    [S_T_PRINTER_PROBLEM] = {"The printer has a problem; staff have been told.",
                             "Druckerproblem – das Personal ist informiert.",
                             "Problème d'imprimante ; l'équipe est prévenue.",
                             "Fallo de impresora; ya avisamos al personal."},
    [S_M_BOOTH] = {"Booth", "Stand", "Stand", "Stand"},
    [S_M_NETWORKING] = {"Networking", "Networking", "Réseautage", "Networking"},
    [S_P_STAFF_ONLY] = {"Staff only", "Nur für Personal", "Réservé à l'équipe", "Solo personal"},
    [S_P_ENTER] = {"Enter the admin PIN", "Admin-PIN eingeben", "Saisissez le code PIN admin",
                   "Introduzca el PIN de administración"},
    [S_P_LOCKED] = {"Locked. Try again in {1}", "Gesperrt. Erneut versuchen in {1}",
                    "Verrouillé. Réessayez dans {1}", "Bloqueado. Inténtelo en {1}"},
    [S_P_NO_PIN] = {"No admin PIN is set (admin.pin).", "Keine Admin-PIN festgelegt (admin.pin).",
                    "Aucun code PIN admin défini (admin.pin).",
                    "No hay PIN de administración (admin.pin)."},
    [S_P_TOO_MANY] = {"Too many wrong PINs.", "Zu viele falsche PINs.",
                      "Trop de codes PIN erronés.", "Demasiados PIN incorrectos."},
    [S_P_WRONG] = {"Wrong PIN. {1} tries left.", "Falsche PIN. Noch {1} Versuche.",
                   "Code PIN erroné. Encore {1} essais.", "PIN incorrecto. Quedan {1} intentos."},
    [S_P_WRONG1] = {"Wrong PIN. 1 try left.", "Falsche PIN. Noch 1 Versuch.",
                    "Code PIN erroné. Encore 1 essai.", "PIN incorrecto. Queda 1 intento."},
    [S_A_TITLE] = {"Admin", "Verwaltung", "Administration", "Administración"},
    [S_A_SCANS] = {"Scans", "Scans", "Scans", "Escaneos"},
    [S_A_ATTENDEES] = {"Attendees", "Teilnehmende", "Participants", "Asistentes"},
    [S_A_HANDSHAKES] = {"Handshakes", "Verbindungen", "Connexions", "Conexiones"},
    [S_A_LEADS] = {"Leads", "Leads", "Leads", "Leads"},
    [S_A_ROSTER] = {"From roster", "Importiert", "Importés", "Importados"},
    [S_A_PER_HOUR] = {"Scans per hour (last 12 hours)", "Scans pro Stunde (letzte 12 Stunden)",
                      "Scans par heure (12 dernières heures)",
                      "Escaneos por hora (últimas 12 horas)"},
    [S_A_NOW] = {"now", "jetzt", "maint.", "ahora"},
    [S_A_MODE] = {"Mode", "Modus", "Mode", "Modo"},
    [S_A_DEVICES] = {"Devices", "Geräte", "Appareils", "Dispositivos"},
    [S_A_TEST_PRINTER] = {"Test printer", "Drucker testen", "Test imprimante",
                          "Probar impresora"},
    [S_A_TEST_CAMERA] = {"Test camera", "Kamera testen", "Tester la caméra", "Probar cámara"},
    [S_A_TEST_SENT] = {"Test slip sent to the printer.", "Testzettel an den Drucker gesendet.",
                       "Fiche de test envoyée à l'imprimante.",
                       "Ficha de prueba enviada a la impresora."},
    [S_A_DATA] = {"Data", "Daten", "Données", "Datos"},
    [S_A_EXPORT] = {"Export to USB", "USB-Export", "Export USB", "Exportar a USB"},
    [S_A_EXPORTING] = {"Exporting…", "Export läuft…", "Export…", "Exportando…"},
    [S_A_EXPORT_NA] = {"Export is not available here.", "Export ist hier nicht verfügbar.",
                       "L'export n'est pas disponible ici.",
                       "La exportación no está disponible aquí."},
    [S_A_EXPORT_STARTED] = {"Exporting to the USB drive… keep it plugged in.",
                            "Export auf den USB-Stick… bitte eingesteckt lassen.",
                            "Export vers la clé USB… laissez-la branchée.",
                            "Exportando a la memoria USB… no la desconecte."},
    [S_A_EXPORT_DONE] = {"Export done: ", "Export fertig: ", "Export terminé : ",
                         "Exportación terminada: "},
    [S_A_EXPORT_FAILED] = {"Export failed: ", "Export fehlgeschlagen: ", "Échec de l'export : ",
                           "Error de exportación: "},
    [S_A_FILES] = {"{1} of {2} files written", "{1} von {2} Dateien geschrieben",
                   "{1} fichiers écrits sur {2}", "{1} de {2} archivos escritos"},
    [S_A_FORGET] = {"Forget…", "Löschen…", "Effacer…", "Borrar…"},
    [S_A_EXIT] = {"Exit kiosk", "Kiosk beenden", "Quitter la borne", "Salir"},
    [S_A_CLOSE] = {"Close", "Schließen", "Fermer", "Cerrar"},
    [S_A_EXIT_ASK] = {"Stop the kiosk? It stays off until it is started again.",
                      "Kiosk beenden? Er bleibt aus, bis er neu gestartet wird.",
                      "Arrêter la borne ? Elle reste éteinte jusqu’au prochain démarrage.",
                      "¿Detener el quiosco? Queda apagado hasta que se vuelva a iniciar."},
    [S_A_EXIT_YES] = {"Yes, exit", "Ja, beenden", "Oui, quitter", "Sí, salir"},
    [S_A_EXIT_NO] = {"Keep running", "Weiterlaufen", "Continuer", "Seguir"},
    [S_KB_SPACE] = {"space", "Leerzeichen", "espace", "espacio"},
    [S_A_CAMERA_TEST] = {"Admin · Camera test", "Verwaltung · Kameratest",
                         "Administration · Test caméra", "Administración · Prueba de cámara"},
    [S_A_HOLD_ANY] = {"Hold any code inside the frame", "Einen beliebigen Code in den Rahmen halten",
                      "Placez un code dans le cadre", "Coloque cualquier código en el marco"},
    [S_A_NO_READ] = {"No code read yet", "Noch kein Code gelesen", "Aucun code lu",
                     "Aún no se ha leído ningún código"},
    [S_F_TITLE] = {"Admin · Forget", "Verwaltung · Löschen", "Administration · Effacer",
                   "Administración · Borrar"},
    [S_F_HOLD] = {"Hold the badge to forget inside the frame",
                  "Namensschild in den Rahmen halten", "Placez le badge dans le cadre",
                  "Coloque la acreditación en el marco"},
    [S_F_SCAN] = {"Scan the badge of the person to forget",
                  "Zu löschendes Namensschild scannen", "Scannez le badge à effacer",
                  "Escanee la acreditación a borrar"},
    [S_F_EXPLAIN] = {"You will see who it is and confirm. Their card, scans, connections and "
                     "notes are then erased from this kiosk.",
                     "Sie sehen, wer es ist, und bestätigen. Dann werden Karte, Scans, "
                     "Verbindungen und Notizen dieser Person von diesem Kiosk gelöscht.",
                     "Vous verrez de qui il s'agit et confirmerez. Sa carte, ses scans, ses "
                     "connexions et ses notes seront alors effacés de cette borne.",
                     "Verá de quién se trata y lo confirmará. Su tarjeta, escaneos, conexiones "
                     "y notas se borrarán de este quiosco."},
    [S_F_ASK] = {"Erase everything about {1}?", "Alles über {1} löschen?",
                 "Tout effacer sur {1} ?", "¿Borrar todo sobre {1}?"},
    [S_F_KEEP] = {"Keep", "Behalten", "Conserver", "Conservar"},
    [S_F_ERASE] = {"Erase", "Löschen", "Effacer", "Borrar"},
    [S_F_ERASE_FAIL] = {"Could not erase: ", "Löschen fehlgeschlagen: ", "Échec de l'effacement : ",
                        "No se pudo borrar: "},
    [S_F_ERASED] = {"Erased. An audit entry was written.",
                    "Gelöscht. Ein Protokolleintrag wurde geschrieben.",
                    "Effacé. Une entrée d'audit a été écrite.",
                    "Borrado. Se registró una entrada de auditoría."},
    [S_F_UNKNOWN] = {"This badge is unknown here: nothing to forget.",
                     "Namensschild hier unbekannt: nichts zu löschen.",
                     "Badge inconnu ici : rien à effacer.",
                     "Acreditación desconocida: nada que borrar."},
    [S_T_SCAN_NOT_SAVED] = {"Sorry, that scan could not be saved. Please try again.",
                            "Der Scan wurde nicht gespeichert. Bitte erneut versuchen.",
                            "Le scan n'a pas pu être enregistré. Réessayez.",
                            "No se pudo guardar el escaneo. Inténtelo de nuevo."},
    [S_T_NOT_SAVED] = {"Sorry, that could not be saved. Please try again.",
                       "Das wurde nicht gespeichert. Bitte erneut versuchen.",
                       "L'enregistrement a échoué. Réessayez.",
                       "No se pudo guardar. Inténtelo de nuevo."},
    [S_T_CARD_FAIL] = {"Sorry, your card could not be saved.",
                       "Ihre Karte wurde leider nicht gespeichert.",
                       "Votre carte n'a pas pu être enregistrée.",
                       "No se pudo guardar su tarjeta."},
    [S_T_CARD_SAVED] = {"Your card is saved. Enjoy the event!",
                        "Ihre Karte ist gespeichert. Viel Spaß!",
                        "Votre carte est enregistrée. Bon événement !",
                        "Su tarjeta está guardada. ¡Disfrute del evento!"},
    [S_T_OWN_BADGE] = {"That's your badge again — now the other person scans theirs.",
                       "Das ist wieder Ihr Namensschild – jetzt scannt Ihr Gegenüber.",
                       "C'est encore votre badge : à l'autre personne de scanner le sien.",
                       "Es su acreditación otra vez: ahora escanea la otra persona."},
    [S_T_CONNS_FAIL] = {"Could not read connections right now.",
                        "Verbindungen gerade nicht lesbar.",
                        "Impossible de lire les connexions pour l'instant.",
                        "No se pueden leer las conexiones ahora."},
    [S_T_TOO_LONG] = {"That's as long as it can be.", "Länger geht es nicht.",
                      "Longueur maximale atteinte.", "Ya no cabe más texto."},
    [S_T_ANSWERS_TOO_LONG] = {"The answers are too long to save. Shorten one, then save again.",
                              "Die Antworten sind zu lang zum Speichern. Bitte eine kürzen und "
                              "erneut speichern.",
                              "Les réponses sont trop longues. Raccourcissez-en une, puis "
                              "enregistrez à nouveau.",
                              "Las respuestas son demasiado largas. Acorte una y vuelva a "
                              "guardar."},
    [S_T_LEAD_UNREADABLE] = {"The earlier lead could not be read; this starts a new one.",
                             "Der frühere Lead ist nicht lesbar; ein neuer wird angelegt.",
                             "Le contact précédent est illisible ; un nouveau est créé.",
                             "No se pudo leer el contacto anterior; se crea uno nuevo."},
    [S_CAM_NA] = {"Camera unavailable", "Kamera nicht verfügbar", "Caméra indisponible",
                  "Cámara no disponible"},
    [S_CAM_NA_HINT] = {"Use the hand scanner, or ask staff.",
                       "Bitte Handscanner nutzen oder Personal fragen.",
                       "Utilisez le lecteur manuel ou demandez à l'équipe.",
                       "Use el lector manual o pregunte al personal."},
    [S_USE_SCANNER] = {"Use the hand scanner", "Bitte den Handscanner nutzen",
                       "Utilisez le lecteur manuel", "Use el lector manual"},
    [S_CAM_NONE] = {"No camera is configured. Use the hand scanner.",
                    "Keine Kamera eingerichtet. Bitte den Handscanner nutzen.",
                    "Aucune caméra n'est configurée. Utilisez le lecteur manuel.",
                    "No hay ninguna cámara configurada. Use el lector manual."},
    [S_CAM_UNAVAILABLE] = {"The camera is not available. Use the hand scanner.",
                           "Die Kamera ist nicht verfügbar. Bitte den Handscanner nutzen.",
                           "La caméra n'est pas disponible. Utilisez le lecteur manuel.",
                           "La cámara no está disponible. Use el lector manual."},
    [S_CAM_LOST] = {"The camera is disconnected. Use the hand scanner or ask staff.",
                    "Die Kamera ist getrennt. Bitte den Handscanner nutzen oder das Personal "
                    "fragen.",
                    "La caméra est déconnectée. Utilisez le lecteur manuel ou demandez à "
                    "l'équipe.",
                    "La cámara está desconectada. Use el lector manual o pregunte al personal."},
    [S_QR_TOO_LARGE] = {"This card is too large for a QR code.",
                        "Diese Karte ist zu groß für einen QR-Code.",
                        "Cette carte est trop grande pour un code QR.",
                        "Esta tarjeta es demasiado grande para un código QR."},
    [S_IDLE_LEAD] = {"Still there? Tap anywhere to keep this lead.",
                     "Noch da? Tippen Sie irgendwo, um diesen Lead zu behalten.",
                     "Toujours là ? Touchez l'écran pour garder ce contact.",
                     "¿Sigue ahí? Toque la pantalla para conservar este contacto."},
    [S_IDLE_ATTENDEE] = {"Still there? Tap anywhere to continue.",
                         "Noch da? Tippen Sie irgendwo, um fortzufahren.",
                         "Toujours là ? Touchez l'écran pour continuer.",
                         "¿Sigue ahí? Toque la pantalla para continuar."},
    [S_IDLE_CLOSING] = {"This screen closes in {1} s.", "Dieser Bildschirm schließt in {1} s.",
                        "Cet écran se ferme dans {1} s.", "Esta pantalla se cierra en {1} s."},
    [S_IDLE_SAVING] = {"The lead is saved and closed in {1} s.",
                       "Der Lead wird in {1} s gespeichert und geschlossen.",
                       "Le contact sera enregistré et fermé dans {1} s.",
                       "El contacto se guardará y se cerrará en {1} s."},
    [S_L_DISCARD_Q] = {"Discard this lead?", "Diesen Lead verwerfen?", "Abandonner ce contact ?",
                       "¿Descartar este contacto?"},
    [S_L_DISCARD] = {"Discard", "Verwerfen", "Abandonner", "Descartar"},
    [S_L_KEEP_EDITING] = {"Keep editing", "Weiter bearbeiten", "Continuer", "Seguir editando"},
    [S_T_SLIPS_READY] = {"Your slips are ready — take them from the printer.",
                         "Ihre Zettel liegen im Drucker bereit.",
                         "Vos fiches sont prêtes : prenez-les à l'imprimante.",
                         "Sus fichas están listas: recójalas en la impresora."},
    [S_A_TEST_DONE] = {"Test slip printed. Check it at the printer.",
                       "Testzettel gedruckt. Bitte am Drucker prüfen.",
                       "Fiche de test imprimée. Vérifiez-la à l'imprimante.",
                       "Ficha de prueba impresa. Revísela en la impresora."},
    [S_A_TEST_FAILED] = {"Test print failed: ", "Testdruck fehlgeschlagen: ",
                         "Échec de l'impression de test : ", "Error en la impresión de prueba: "},
    /* counted words: S_N_X for one (French: also for zero), S_N_XS for more */
    [S_N_LEAD] = {"1 lead", "1 Lead", "{1} contact", "1 contacto"},
    [S_N_LEADS] = {"{1} leads", "{1} Leads", "{1} contacts", "{1} contactos"},
    [S_N_CONTACT] = {"1 contact", "1 Kontakt", "{1} carte de visite", "1 tarjeta"},
    [S_N_CONTACTS] = {"{1} contacts", "{1} Kontakte", "{1} cartes de visite", "{1} tarjetas"},
    [S_A_EXPORT_COUNTS] = {"{1} and {2}", "{1} und {2}", "{1} et {2}", "{1} y {2}"},
    [S_A_EXPORTED] = {"Exported {1} to {2}.", "{1} nach {2} exportiert.", "Exporté vers {2} : {1}.",
                      "Exportado a {2}: {1}."},
    [S_A_UNPLUG] = {"Wait for the light to stop before unplugging.",
                    "Warten Sie, bis das Licht nicht mehr blinkt, bevor Sie den Stick abziehen.",
                    "Attendez que le voyant s'arrête avant de débrancher.",
                    "Espere a que la luz deje de parpadear antes de desconectar."},
    [S_A_SCAN1] = {"Scan", "Scan", "Scan", "Escaneo"},
    [S_A_ATTENDEE1] = {"Attendee", "Teilnehmende", "Participant", "Asistente"},
    [S_A_HANDSHAKE1] = {"Handshake", "Verbindung", "Connexion", "Conexión"},
    [S_A_LEAD1] = {"Lead", "Lead", "Lead", "Lead"},
    [S_A_ROSTER1] = {"From roster", "Importiert", "Importé", "Importado"},
};

/* ---- state -------------------------------------------------------------- */

/* Tokens for reading a lead's stored answers: a JSON value takes at least
 * two bytes with its separator, so any set that fits KIOSK_ANSWERS_MAX
 * parses. */
#define ANSWER_TOKS (KIOSK_ANSWERS_MAX / 2 + 1)

struct person {
    struct contact c;
    char id[KIOSK_ID_LEN];
    unsigned obj; /* objectives bitmask */
    int64_t consent_at; /* 0 = not given */
    unsigned char qr[QR_SIDE_MAX * QR_SIDE_MAX]; /* this person's vCard */
    int qr_w;
};

struct question {
    char id[Q_ID_LEN];
    char kind; /* 's' single, 'm' multi, 't' text */
    char label[Q_LABEL_LEN];
    char opt[Q_OPTS_MAX][TAG_LEN];
    int nopt;
};

struct app {
    struct store *store;
    const struct config *cfg;
    struct app_hooks hooks;
    struct ui ui;
    struct followup_policy policy;
    struct tzone tz;
    struct ui_theme light, dark;

    enum app_screen screen;
    int changed; /* screen changed during a pass: rebuild */
    int64_t now, last_input, screen_at, flash_at;
    int quit;

    /* settings */
    int booth, lang, large, contrast;
    int lang0, large0, contrast0; /* configured; the next person starts with these */
    int64_t idle_ms;
    char event_name[KIOSK_CONFIG_VALUE_MAX];
    char tags[TAGS_MAX][TAG_LEN];
    int ntags;
    struct question q[Q_MAX];
    int nq;

    /* camera */
    int camera_ok;
    enum app_camera camera_state;

    /* flow */
    struct person p[2]; /* A and B (B unused in booth and connections) */
    char note[KIOSK_NOTE_MAX];
    unsigned hs_obj;
    int followup; /* 0 none, 1 tomorrow, 2 next week */
    char interaction_id[KIOSK_ID_LEN];

    /* lead */
    int rating;
    unsigned tag_mask;
    unsigned q_mask[Q_MAX];
    char q_text[Q_MAX][Q_TEXT_LEN];
    /* The answers as stored: what the screen cannot show (questions no
     * longer configured, options no longer offered, a text too long for
     * the field) is saved back as it was unless staff answer anew. */
    char answers_old[KIOSK_ANSWERS_MAX];
    char tags_old[KIOSK_CONFIG_VALUE_MAX]; /* stored tags no longer configured */
    unsigned q_mask0[Q_MAX]; /* choices as loaded */
    unsigned q_keep;         /* bit i: question i was not restored exactly */
    struct json_tok answer_toks[ANSWER_TOKS]; /* scratch for reading answers_old */
    int q_first;             /* lead page: 0 the first, n > 0 questions from n-1 */
    struct store_app_note history[HISTORY_MAX];
    int nhistory;
    char lead_id[KIOSK_ID_LEN]; /* existing lead interaction, "" = new */
    /* The lead as loaded: anything else is staff input (kept on idle,
     * confirmed before Cancel discards it). */
    int rating0;
    unsigned tag_mask0;
    char q_text0[Q_MAX][Q_TEXT_LEN];

    /* connections */
    struct store_app_conn conns[CONNS_MAX];
    int nconns;

    /* message screen and toasts */
    char msg_title[128], msg_body[512], msg_icon[8];
    char toast[160];
    int64_t toast_at;
    int person;       /* counts who began at the kiosk (a scan starting a flow, the PIN pad) */
    int print_person; /* the person whose slips were queued last */
    int print_slips;  /* how many slips that person queued (1: "slip", more: "slips") */
    int print_test;   /* the last job queued was admin's test slip */
    int scan_ignored; /* on_scan turned the last scan away (idle timer untouched) */

    /* on-screen keyboard */
    char *edit_target;
    size_t edit_size;
    char edit_text[KIOSK_NOTE_MAX];
    char edit_label[96];
    int edit_single_line, kb_shift; /* kb_shift: KEYBOARD_SHIFT_... */
    int kb_layer;                   /* enum keyboard_layer shown */
    enum app_screen edit_return;

    /* admin */
    char pin[PIN_MAX_DIGITS + 1];
    char pin_msg[160];
    long stat_scans, stat_attendees, stat_handshakes, stat_leads, stat_roster;
    long hourly[HOURS_PLOTTED];
    char admin_msg[KIOSK_MSG_MAX * 2];
    char test_result[256];
    long test_reads;
    int exporting;
    int exit_ask; /* Exit was tapped: the admin screen asks to confirm */
    int discard_ask;  /* Cancel on an entered lead: the lead screen asks to confirm */
    int lang_pick;    /* the attract screen's language chooser is open */
    int idle_swallow; /* the touch that answered the idle warning: no widget gets it */
    int export_done, export_total; /* progress reported by the shell; total 0 = unknown */
    struct contact forget_c;
    char forget_id[KIOSK_ID_LEN];

    /* hidden admin gesture */
    int64_t corner_at;
};

static void go(struct app *a, enum app_screen s);
static void admin_load(struct app *a);

/* ---- small helpers ------------------------------------------------------ */

static const char *tr(const struct app *a, enum str s)
{
    return words[s][a->lang] ? words[s][a->lang] : words[s][LANG_EN];
}

/* Cut s back to whole UTF-8 characters, after a copy into a fixed buffer
 * that may have stopped inside one (drawn, half a character is garbage). */
static void utf8_whole(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && utf8_seq((const unsigned char *)s + i - 1, n - (i - 1)) == 0)
        s[i - 1] = '\0';
}

/* Fill a translated template: "{1}" and "{2}" become v1 and v2 (word order
 * differs between languages, and printf formats must stay literals). */
static const char *subst(char *out, size_t size, const char *tmpl, const char *v1, const char *v2)
{
    size_t o = 0;
    for (const char *p = tmpl; *p && o + 1 < size; p++) {
        const char *v = NULL;
        if (p[0] == '{' && (p[1] == '1' || p[1] == '2') && p[2] == '}') {
            v = p[1] == '1' ? v1 : v2;
            p += 2;
        }
        if (!v) {
            out[o++] = *p;
            continue;
        }
        for (; v && *v && o + 1 < size; v++)
            out[o++] = *v;
    }
    out[o] = '\0';
    utf8_whole(out);
    return out;
}

static void logf_(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct app *a, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    if (!a->hooks.log)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    a->hooks.log(a->hooks.ctx, line);
}

/* Does n take the singular in the UI language (French: zero and one)? */
static int singular(const struct app *a, long n)
{
    return n == 1 || (a->lang == LANG_FR && n == 0);
}

/* n and the word for it, in the UI language: one (French: zero or one) or
 * many forms, "{1}" standing for the number. */
static const char *count_words(const struct app *a, long n, enum str one, enum str many,
                               char *out, size_t size)
{
    char num[24];
    snprintf(num, sizeof(num), "%ld", n);
    return subst(out, size, tr(a, singular(a, n) ? one : many), num, "");
}

static void toast(struct app *a, const char *msg)
{
    snprintf(a->toast, sizeof(a->toast), "%s", msg);
    utf8_whole(a->toast);
    a->toast_at = a->now;
}

static void set_message(struct app *a, const char *icon, const char *title, const char *body)
{
    snprintf(a->msg_icon, sizeof(a->msg_icon), "%s", icon);
    snprintf(a->msg_title, sizeof(a->msg_title), "%s", title);
    snprintf(a->msg_body, sizeof(a->msg_body), "%s", body);
    utf8_whole(a->msg_title);
    utf8_whole(a->msg_body);
    go(a, APP_MESSAGE);
}

/* Append n bytes to out (size includes the NUL). Returns 0, or -1 when
 * they do not fit (out then holds what came before). */
static int put(char *out, size_t size, size_t *used, const char *s, size_t n)
{
    if (*used + n + 1 > size)
        return -1;
    memcpy(out + *used, s, n);
    *used += n;
    out[*used] = '\0';
    return 0;
}

static unsigned obj_parse(const char *csv)
{
    unsigned m = 0;
    for (int i = 0; i < NOBJ; i++) {
        const char *p = csv;
        size_t n = strlen(obj_ids[i]);
        while ((p = strstr(p, obj_ids[i])) != NULL) {
            if ((p == csv || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) {
                m |= 1u << i;
                break;
            }
            p += n;
        }
    }
    return m;
}

static void obj_format(unsigned m, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < NOBJ; i++)
        if (m & (1u << i))
            used += (size_t)snprintf(out + used, used < size ? size - used : 0, "%s%s",
                                     used ? "," : "", obj_ids[i]);
}

static const char *name_of(const struct person *p, char *buf, size_t size)
{
    return contact_name(&p->c, buf, size);
}

/* First word of the name, for "Share my card with Sam". */
static const char *first_name(const struct person *p, char *buf, size_t size)
{
    char *sp;
    if (p->c.given_name[0])
        snprintf(buf, size, "%s", p->c.given_name);
    else
        contact_name(&p->c, buf, size);
    sp = strchr(buf, ' ');
    if (sp && p->c.given_name[0] == '\0')
        *sp = '\0';
    return buf;
}

static void make_qr(struct app *a, struct person *p, const struct person *shown)
{
    /* p->qr holds the vCard of `shown`: what p scans with a phone. */
    char card[VCARD_WRITE_MAX], extra[KIOSK_CONFIG_VALUE_MAX + 16];
    struct err e;
    QRcode *q;
    p->qr_w = 0;
    snprintf(extra, sizeof(extra), "Met at %s", a->event_name);
    if (vcard_write(&shown->c, 3, extra, card, sizeof(card), &e) < 0)
        return;
    q = QRcode_encodeString(card, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return;
    if (q->width <= QR_SIDE_MAX) {
        for (int i = 0; i < q->width * q->width; i++)
            p->qr[i] = q->data[i] & 1;
        p->qr_w = q->width;
    }
    QRcode_free(q);
}

/* Wipe everything personal the screens held (idle, done, cancel). */
static void wipe(struct app *a)
{
    memset(a->p, 0, sizeof(a->p));
    memset(a->note, 0, sizeof(a->note));
    a->hs_obj = 0;
    a->followup = 0;
    a->interaction_id[0] = '\0';
    a->rating = 0;
    a->tag_mask = 0;
    memset(a->q_mask, 0, sizeof(a->q_mask));
    memset(a->q_text, 0, sizeof(a->q_text));
    memset(a->answers_old, 0, sizeof(a->answers_old));
    memset(a->tags_old, 0, sizeof(a->tags_old));
    memset(a->q_mask0, 0, sizeof(a->q_mask0));
    a->q_keep = 0;
    a->q_first = 0;
    memset(a->history, 0, sizeof(a->history));
    a->nhistory = 0;
    a->lead_id[0] = '\0';
    a->rating0 = 0;
    a->tag_mask0 = 0;
    memset(a->q_text0, 0, sizeof(a->q_text0));
    memset(a->conns, 0, sizeof(a->conns));
    a->nconns = 0;
    memset(a->edit_text, 0, sizeof(a->edit_text));
    a->edit_target = NULL;
    memset(a->pin, 0, sizeof(a->pin));
    memset(&a->forget_c, 0, sizeof(a->forget_c));
    a->forget_id[0] = '\0';
    a->test_result[0] = '\0';
    a->msg_title[0] = a->msg_body[0] = '\0';
}

static void go(struct app *a, enum app_screen s)
{
    if (a->screen != s)
        a->changed = 1;
    a->screen = s;
    a->screen_at = a->now;
    ui_input_cancel(&a->ui);
    /* A toast belongs to the flow it was made in: the PIN pad starts clean,
     * and so does the attract screen, except for the toast of the very
     * action that ended the flow ("Lead saved."). */
    if (s == APP_PIN || (s == APP_ATTRACT && a->toast_at != a->now))
        a->toast[0] = '\0';
    if (s == APP_PIN)
        a->person++; /* staff, not the person before */
    if (s != APP_ADMIN)
        a->exit_ask = 0;
    a->discard_ask = 0;
    a->lang_pick = 0;
    if (s == APP_ADMIN)
        admin_load(a);
}

static int in_admin(const struct app *a)
{
    return a->screen == APP_ADMIN || a->screen == APP_FORGET_WAIT ||
           a->screen == APP_FORGET_CONFIRM || a->screen == APP_CAMERA_TEST ||
           (a->screen == APP_EDITOR && a->edit_return == APP_ADMIN);
}

/* ---- configuration ------------------------------------------------------ */

static int parse_tags(struct app *a, const char *csv, struct err *err)
{
    const char *p = csv;
    a->ntags = 0;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        while (n && *p == ' ')
            p++, n--;
        while (n && p[n - 1] == ' ')
            n--;
        if (n) {
            if (a->ntags >= TAGS_MAX)
                return err_set(err, "booth.tags: at most %d tags", TAGS_MAX);
            if (n >= TAG_LEN)
                return err_set(err, "booth.tags: a tag is longer than %d bytes", TAG_LEN - 1);
            memcpy(a->tags[a->ntags], p, n);
            a->tags[a->ntags++][n] = '\0';
        }
        if (!c)
            break;
        p = c + 1;
    }
    return 0;
}

/* booth.questions: "id|single|Label|opt1/opt2;id2|text|Label2" */
static int parse_questions(struct app *a, const char *spec, struct err *err)
{
    char buf[KIOSK_CONFIG_VALUE_MAX];
    char *save = NULL, *item;
    snprintf(buf, sizeof(buf), "%s", spec);
    a->nq = 0;
    for (item = strtok_r(buf, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
        struct question *q;
        char *f[4] = {NULL, NULL, NULL, NULL}, *s2 = NULL, *opt;
        int nf = 0;
        while (*item == ' ')
            item++;
        if (!*item)
            continue;
        if (a->nq >= Q_MAX)
            return err_set(err, "booth.questions: at most %d questions", Q_MAX);
        q = &a->q[a->nq];
        memset(q, 0, sizeof(*q));
        for (char *t = item; nf < 4; nf++) {
            f[nf] = t;
            t = strchr(t, '|');
            if (!t) {
                nf++;
                break;
            }
            *t++ = '\0';
        }
        if (nf < 3 || !f[0][0] || strlen(f[0]) >= Q_ID_LEN || strlen(f[2]) >= Q_LABEL_LEN)
            return err_set(err, "booth.questions: question %d must be id|kind|label[|opt/opt] "
                                "(id < %d bytes, label < %d)", a->nq + 1, Q_ID_LEN, Q_LABEL_LEN);
        for (const char *c = f[0]; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
                return err_set(err, "booth.questions: id \"%s\" may hold a-z 0-9 _ - only", f[0]);
        if (strcmp(f[1], "single") == 0)
            q->kind = 's';
        else if (strcmp(f[1], "multi") == 0)
            q->kind = 'm';
        else if (strcmp(f[1], "text") == 0)
            q->kind = 't';
        else
            return err_set(err, "booth.questions: kind of \"%s\" must be single, multi or text",
                           f[0]);
        snprintf(q->id, sizeof(q->id), "%s", f[0]);
        snprintf(q->label, sizeof(q->label), "%s", f[2]);
        if (q->kind != 't') {
            if (nf < 4 || !f[3][0])
                return err_set(err, "booth.questions: \"%s\" needs options opt1/opt2", q->id);
            for (opt = strtok_r(f[3], "/", &s2); opt; opt = strtok_r(NULL, "/", &s2)) {
                if (q->nopt >= Q_OPTS_MAX || strlen(opt) >= TAG_LEN)
                    return err_set(err, "booth.questions: \"%s\" has more than %d options or "
                                        "one longer than %d bytes", q->id, Q_OPTS_MAX,
                                   TAG_LEN - 1);
                snprintf(q->opt[q->nopt++], TAG_LEN, "%s", opt);
            }
        }
        a->nq++;
    }
    return 0;
}

static void themes(struct app *a)
{
    struct ui_theme *t = &a->light;
    t->bg = ui_rgba(0xEEF2F6, 255);
    t->surface = ui_rgba(0xFFFFFF, 255);
    t->surface2 = ui_rgba(0xE3E8EF, 255);
    t->text = ui_rgba(0x152238, 255);
    t->muted = ui_rgba(0x5A6778, 255);
    t->primary = ui_rgba(0x0F766E, 255);
    t->on_primary = ui_rgba(0xFFFFFF, 255);
    t->primary_soft = ui_rgba(0xD5EFEC, 255);
    t->accent = ui_rgba(0xF2A93B, 255);
    t->danger = ui_rgba(0xC2410C, 255);
    t->ok = ui_rgba(0x15803D, 255);
    t->border = ui_rgba(0xC5CED9, 255);
    t->bar = ui_rgba(0x12324A, 255);
    t->on_bar = ui_rgba(0xFFFFFF, 255);
    t->shadow = ui_rgba(0x0B1B2B, 28);

    t = &a->dark;
    t->bg = ui_rgba(0x000000, 255);
    t->surface = ui_rgba(0x111111, 255);
    t->surface2 = ui_rgba(0x2A2A2A, 255);
    t->text = ui_rgba(0xFFFFFF, 255);
    t->muted = ui_rgba(0xE0E0E0, 255);
    t->primary = ui_rgba(0xFFD400, 255);
    t->on_primary = ui_rgba(0x000000, 255);
    t->primary_soft = ui_rgba(0x4A4000, 255);
    t->accent = ui_rgba(0xFFD400, 255);
    t->danger = ui_rgba(0xFF6B4A, 255);
    t->ok = ui_rgba(0x5CFF8A, 255);
    t->border = ui_rgba(0xFFFFFF, 255);
    t->bar = ui_rgba(0x000000, 255);
    t->on_bar = ui_rgba(0xFFD400, 255);
    t->shadow = ui_rgba(0x000000, 0);
}

static void apply_look(struct app *a)
{
    a->ui.theme = a->contrast ? a->dark : a->light;
    a->ui.text_scale = a->large ? 125 : 100;
}

/* ---- admin PIN and lockout ------------------------------------------------ */

static long setting_long(struct app *a, const char *key)
{
    char buf[32];
    if (store_setting_get(a->store, key, buf, sizeof(buf), NULL) != 0)
        return 0;
    return strtol(buf, NULL, 10);
}

static int64_t setting_i64(struct app *a, const char *key)
{
    char buf[32];
    if (store_setting_get(a->store, key, buf, sizeof(buf), NULL) != 0)
        return 0;
    return (int64_t)strtoll(buf, NULL, 10);
}

static void setting_put(struct app *a, const char *key, long long v)
{
    char buf[32];
    struct err e;
    snprintf(buf, sizeof(buf), "%lld", v);
    if (store_setting_set(a->store, key, buf, a->now, &e) < 0)
        logf_(a, "settings: %s", e.msg);
}

static int64_t lockout_left(struct app *a)
{
    int64_t until = setting_i64(a, "admin.lockout_until");
    return until > a->now ? until - a->now : 0;
}

static void pin_submit(struct app *a)
{
    char stored[PIN_HASH_TEXT_MAX];
    long fails, level, tries = config_int(a->cfg, "admin.lockout_tries");
    if (lockout_left(a) > 0)
        return;
    if (store_setting_get(a->store, "admin.pin_hash", stored, sizeof(stored), NULL) != 0) {
        snprintf(a->pin_msg, sizeof(a->pin_msg), "%s", tr(a, S_P_NO_PIN));
        memset(a->pin, 0, sizeof(a->pin));
        return;
    }
    if (pin_verify(a->pin, stored)) {
        memset(a->pin, 0, sizeof(a->pin));
        setting_put(a, "admin.pin_fails", 0);
        setting_put(a, "admin.lockout_level", 0);
        store_audit(a->store, "admin", "login", "PIN accepted", a->now, NULL);
        logf_(a, "admin: PIN accepted");
        a->admin_msg[0] = '\0';
        go(a, APP_ADMIN);
        return;
    }
    memset(a->pin, 0, sizeof(a->pin));
    fails = setting_long(a, "admin.pin_fails") + 1;
    if (fails >= tries) {
        int64_t len = (int64_t)config_int(a->cfg, "admin.lockout_s") * 1000;
        level = setting_long(a, "admin.lockout_level");
        for (long i = 0; i < level && len < 7LL * 24 * 3600 * 1000; i++)
            len *= 2;
        setting_put(a, "admin.lockout_until", (long long)(a->now + len));
        setting_put(a, "admin.lockout_level", level + 1);
        setting_put(a, "admin.pin_fails", 0);
        store_audit(a->store, "admin", "lockout", "too many wrong PINs", a->now, NULL);
        logf_(a, "admin: locked for %lld s after %ld wrong PINs", (long long)(len / 1000), fails);
        snprintf(a->pin_msg, sizeof(a->pin_msg), "%s", tr(a, S_P_TOO_MANY));
    } else {
        setting_put(a, "admin.pin_fails", fails);
        store_audit(a->store, "admin", "login-failed", "wrong PIN", a->now, NULL);
        logf_(a, "admin: wrong PIN (%ld of %ld)", fails, tries);
        char num[24];
        snprintf(num, sizeof(num), "%ld", tries - fails);
        subst(a->pin_msg, sizeof(a->pin_msg), tr(a, tries - fails == 1 ? S_P_WRONG1 : S_P_WRONG),
              num, NULL);
    }
}

static void admin_load(struct app *a)
{
    struct err e;
    a->stat_scans = store_count(a->store, "scans");
    a->stat_attendees = store_count(a->store, "attendees");
    a->stat_handshakes = store_app_count_kind(a->store, "handshake");
    a->stat_leads = store_app_count_kind(a->store, "lead");
    a->stat_roster = store_app_count_roster(a->store);
    if (store_app_scans_per_hour(a->store, a->now, HOURS_PLOTTED, a->hourly, &e) < 0)
        snprintf(a->admin_msg, sizeof(a->admin_msg), "%s", e.msg);
}

/* ---- scans ---------------------------------------------------------------- */

static const char *scan_mode(const struct app *a)
{
    if (a->screen == APP_CONN_WAIT || a->screen == APP_CONNECTIONS)
        return "connections";
    if (in_admin(a) || a->screen == APP_PIN)
        return "admin";
    return a->booth ? "booth" : "handshake";
}

static void load_person(struct app *a, struct person *p, const char *id, const struct contact *c)
{
    memset(p, 0, sizeof(*p));
    p->c = *c;
    snprintf(p->id, sizeof(p->id), "%s", id);
    /* The stored row merges roster data and a pitch saved earlier. */
    store_attendee_get(a->store, id, &p->c, NULL);
    p->obj = obj_parse(p->c.objectives);
}

/* Restore the answers of the questions configured now from the stored JSON,
 * matching whole keys and whole option texts (after unescaping). Returns
 * 0, or -1 when the stored answers are not a JSON object (an older build
 * stored them cut at 4 KB): then nothing is restored. */
static int answers_load(struct app *a)
{
    struct json j;
    struct json_tok *toks = a->answer_toks;
    char why[KIOSK_MSG_MAX] = "not an object";
    if (!a->answers_old[0])
        return 0;
    if (json_parse(&j, a->answers_old, strlen(a->answers_old), toks, ANSWER_TOKS, 0, why,
                   sizeof(why)) < 0 ||
        toks[0].type != JSON_OBJECT) {
        logf_(a, "lead answers not readable: %s", why);
        return -1;
    }
    for (int i = 0; i < a->nq; i++) {
        const struct question *q = &a->q[i];
        int v = json_get(&j, 0, q->id), n = 1, ok = 1;
        if (v < 0)
            continue;
        if (q->kind == 't') {
            if (toks[v].type != JSON_STRING ||
                json_string(&j, v, a->q_text[i], sizeof(a->q_text[i])) < 0) {
                a->q_text[i][0] = '\0';
                a->q_keep |= 1u << i;
            }
            continue;
        }
        if (toks[v].type == JSON_ARRAY)
            n = toks[v].count;
        else if (toks[v].type != JSON_STRING)
            ok = 0;
        for (int k = 0; ok && k < n; k++) {
            char val[TAG_LEN];
            int e = toks[v].type == JSON_ARRAY ? json_at(&j, v, k) : v, o;
            if (e < 0 || toks[e].type != JSON_STRING ||
                json_string(&j, e, val, sizeof(val)) < 0) {
                ok = 0;
                break;
            }
            for (o = 0; o < q->nopt; o++)
                if (strcmp(val, q->opt[o]) == 0)
                    break;
            if (o == q->nopt || (q->kind == 's' && a->q_mask[i])) {
                ok = 0; /* an option no longer offered, or two for one choice */
                break;
            }
            a->q_mask[i] |= 1u << o;
        }
        if (!ok)
            a->q_keep |= 1u << i;
        a->q_mask0[i] = a->q_mask[i];
    }
    return 0;
}

/* Remember the lead as loaded (q_mask0 is kept by answers_load). */
static void lead_snapshot(struct app *a)
{
    a->rating0 = a->rating;
    a->tag_mask0 = a->tag_mask;
    memcpy(a->q_text0, a->q_text, sizeof(a->q_text0));
}

static void lead_load(struct app *a)
{
    char tags[KIOSK_CONFIG_VALUE_MAX];
    struct err e = {{0}};
    int r;
    a->rating = 0;
    a->tag_mask = 0;
    memset(a->q_mask, 0, sizeof(a->q_mask));
    memset(a->q_mask0, 0, sizeof(a->q_mask0));
    memset(a->q_text, 0, sizeof(a->q_text));
    a->answers_old[0] = '\0';
    a->tags_old[0] = '\0';
    a->q_keep = 0;
    a->q_first = 0;
    a->nhistory = 0;
    a->lead_id[0] = '\0';
    a->note[0] = '\0';
    r = store_app_lead_find(a->store, a->p[0].id, a->lead_id, &a->rating, tags, sizeof(tags),
                            a->answers_old, sizeof(a->answers_old), &e);
    if (r == 0 && answers_load(a) < 0) {
        snprintf(e.msg, sizeof(e.msg), "its answers are not JSON");
        r = -1;
    }
    if (r != 0) {
        /* None, or one this screen cannot hold: a new lead is started and
         * the old one stays untouched. */
        if (r < 0) {
            logf_(a, "lead history not readable: %s", e.msg);
            toast(a, tr(a, S_T_LEAD_UNREADABLE));
        }
        a->lead_id[0] = '\0';
        a->answers_old[0] = '\0';
        a->rating = 0;
        memset(a->q_mask, 0, sizeof(a->q_mask));
        memset(a->q_mask0, 0, sizeof(a->q_mask0));
        memset(a->q_text, 0, sizeof(a->q_text));
        a->q_keep = 0;
        lead_snapshot(a);
        return;
    }
    /* Tags: the configured ones become chips; any other (a tag no longer
     * configured) is kept and saved back with them. */
    for (const char *p = tags; *p;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p), used = strlen(a->tags_old);
        int i;
        for (i = 0; i < a->ntags; i++)
            if (strlen(a->tags[i]) == n && memcmp(a->tags[i], p, n) == 0)
                break;
        if (i < a->ntags) {
            a->tag_mask |= 1u << i;
        } else if (n > 0) {
            /* Always fits: tags_old is as large as the column read. */
            if (used)
                put(a->tags_old, sizeof(a->tags_old), &used, ",", 1);
            put(a->tags_old, sizeof(a->tags_old), &used, p, n);
        }
        p = c ? c + 1 : p + n;
    }
    store_app_notes(a->store, a->lead_id, a->history, HISTORY_MAX, &a->nhistory, NULL);
    lead_snapshot(a);
}

/* Has staff entered anything on the lead since it was loaded? */
static int lead_dirty(const struct app *a)
{
    return a->note[0] || a->rating != a->rating0 || a->tag_mask != a->tag_mask0 ||
           memcmp(a->q_mask, a->q_mask0, sizeof(a->q_mask)) != 0 ||
           memcmp(a->q_text, a->q_text0, sizeof(a->q_text)) != 0;
}

static void conns_load(struct app *a)
{
    struct err e;
    /* "Today" starts at local midnight in the event's time zone. */
    int64_t since = a->now - (int64_t)tzone_minute_of_day(&a->tz, a->now) * 60000 - a->now % 60000;
    if (store_app_connections(a->store, a->p[0].id, since, a->conns,
                              CONNS_MAX, &a->nconns, &e) < 0) {
        a->nconns = 0;
        toast(a, tr(a, S_T_CONNS_FAIL));
    }
}

/* Resolve and commit one scan; then react according to the screen. */
static void on_scan(struct app *a, const struct event *ev)
{
    struct contact c;
    char reason[160] = "", aid[KIOSK_ID_LEN] = "", scan_id[KIOSK_ID_LEN];
    struct badge_options opt = {config_str(a->cfg, "badge.caret_fields")};
    enum badge_status st;
    struct store_scan row;
    struct err e = {{0}};
    int admin = in_admin(a) || a->screen == APP_PIN;
    int known = 0;
    static const char *const sources[] = {"camera", "wedge", "script"};

    contact_clear(&c);
    if (ev->u.scan.len == 0 || ev->u.scan.len > KIOSK_PAYLOAD_MAX) {
        st = BADGE_INVALID;
        snprintf(reason, sizeof(reason), "The code holds no data or more than %d bytes.",
                 KIOSK_PAYLOAD_MAX);
    } else {
        st = badge_parse(ev->u.scan.data, ev->u.scan.len, &opt, &c, reason, sizeof(reason));
    }

    if (store_begin(a->store, &e) < 0)
        goto store_failed;
    if (st == BADGE_CONTACT && !admin) {
        if (store_attendee_upsert(a->store, &c, "badge", a->now, aid, &e) < 0)
            goto store_failed;
        known = 1;
    } else if (st == BADGE_CONTACT || st == BADGE_REF) {
        struct contact found;
        int r = store_attendee_find(a->store, c.ref, &found, aid, &e);
        if (r < 0)
            goto store_failed;
        known = r == 0;
        if (!known)
            aid[0] = '\0';
    }
    memset(&row, 0, sizeof(row));
    /* Refused and invalid codes may be anything (a Wi-Fi password, a
     * payment code): keep that a scan happened, never its bytes. */
    row.payload = (st == BADGE_REFUSED || st == BADGE_INVALID) ? (const unsigned char *)""
                                                                : ev->u.scan.data;
    row.len = (st == BADGE_REFUSED || st == BADGE_INVALID) ? 0 : ev->u.scan.len;
    row.format = st == BADGE_REFUSED ? "refused"
                 : st == BADGE_INVALID ? "invalid"
                 : (st == BADGE_REF && !known) ? "unknown"
                 : (c.format[0] ? c.format : "unknown");
    row.attendee_id = aid[0] ? aid : NULL;
    row.mode = scan_mode(a);
    row.source = sources[ev->u.scan.source <= SCAN_SCRIPT ? ev->u.scan.source : SCAN_SCRIPT];
    if (store_scan_add(a->store, &row, a->now, scan_id, &e) < 0 || store_commit(a->store, &e) < 0)
        goto store_failed;
    logf_(a, "scan committed id=%s format=%s mode=%s source=%s result=%s", scan_id, row.format,
          row.mode, row.source,
          st == BADGE_REFUSED ? "refused" : st == BADGE_INVALID ? "invalid"
                                         : known ? "known" : "unknown");

    /* The row is durable: now the screen may react. */
    if (a->screen == APP_CAMERA_TEST) {
        char nm[KIOSK_NAME_MAX];
        a->test_reads++;
        snprintf(a->test_result, sizeof(a->test_result), "Read #%ld: %s%s%s", a->test_reads,
                 row.format, known ? " \xE2\x80\x94 " : "",
                 known ? contact_name(&c, nm, sizeof(nm)) : "");
        utf8_whole(a->test_result);
        if (a->hooks.beep)
            a->hooks.beep(a->hooks.ctx);
        return;
    }
    if (a->screen == APP_FORGET_WAIT) {
        if (known && store_attendee_get(a->store, aid, &a->forget_c, NULL) == 0) {
            snprintf(a->forget_id, sizeof(a->forget_id), "%s", aid);
            go(a, APP_FORGET_CONFIRM);
        } else {
            toast(a, tr(a, S_F_UNKNOWN));
        }
        return;
    }
    if (admin || a->screen == APP_EDITOR || a->screen == APP_PIN) {
        a->scan_ignored = 1;
        toast(a, tr(a, a->screen == APP_EDITOR ? S_T_FINISH_TYPING : S_T_SCAN_PAUSED));
        return;
    }
    /* The screen answers this scan: an older toast (the slip of the person
     * before) no longer applies. Outside a flow, a new person begins. */
    a->toast[0] = '\0';
    if (a->screen != APP_MYCARD && a->screen != APP_HANDSHAKE && a->screen != APP_LEAD)
        a->person++;
    if (st == BADGE_REFUSED || st == BADGE_INVALID || !known) {
        const char *title, *body;
        char buf[512];
        if (st == BADGE_REFUSED) {
            title = tr(a, S_NOT_BADGE);
            if (reason[0] >= 'a' && reason[0] <= 'z')
                reason[0] = (char)(reason[0] - 32);
            /* The parser's reason is English: shown as a detail, in English only. */
            if (a->lang == LANG_EN)
                snprintf(buf, sizeof(buf), "%s%s%s", reason, reason[0] ? ". " : "",
                         tr(a, S_SHOW_BADGE_QR));
            else
                snprintf(buf, sizeof(buf), "%s", tr(a, S_SHOW_BADGE_QR));
            body = buf;
        } else if (st == BADGE_INVALID) {
            title = tr(a, S_CANT_READ);
            body = tr(a, S_HOLD_FLAT);
        } else {
            title = tr(a, S_UNKNOWN);
            body = tr(a, S_UNKNOWN_BODY);
        }
        if (a->screen == APP_MYCARD || a->screen == APP_HANDSHAKE || a->screen == APP_LEAD) {
            a->scan_ignored = 1;
            toast(a, title); /* keep the flow in progress */
            return;
        }
        wipe(a);
        set_message(a, st == BADGE_REFUSED ? "!" : "?", title, body);
        return;
    }

    a->flash_at = a->now;
    if (a->hooks.beep)
        a->hooks.beep(a->hooks.ctx);

    switch (a->screen) {
    case APP_MYCARD:
        if (strcmp(aid, a->p[0].id) == 0) {
            a->scan_ignored = 1;
            toast(a, tr(a, S_T_OWN_BADGE));
            return;
        }
        load_person(a, &a->p[1], aid, &c);
        a->hs_obj = a->p[0].obj & a->p[1].obj;
        a->followup = 0;
        a->note[0] = '\0';
        go(a, APP_HANDSHAKE);
        return;
    case APP_HANDSHAKE:
    case APP_LEAD:
        a->scan_ignored = 1;
        toast(a, tr(a, S_T_SAVE_OR_CANCEL));
        return;
    case APP_CONN_WAIT:
    case APP_CONNECTIONS:
        wipe(a);
        load_person(a, &a->p[0], aid, &c);
        conns_load(a);
        go(a, APP_CONNECTIONS);
        return;
    default:
        wipe(a);
        load_person(a, &a->p[0], aid, &c);
        if (a->booth) {
            lead_load(a);
            go(a, APP_LEAD);
        } else {
            go(a, APP_MYCARD);
        }
        return;
    }

store_failed:
    store_rollback(a->store);
    logf_(a, "scan NOT saved: %s", e.msg);
    if (a->screen == APP_MYCARD || a->screen == APP_HANDSHAKE || a->screen == APP_LEAD) {
        toast(a, tr(a, S_T_SCAN_NOT_SAVED));
        return;
    }
    wipe(a);
    set_message(a, "!", tr(a, S_SAVE_FAIL), tr(a, S_SAVE_FAIL_BODY));
}

/* ---- saving ---------------------------------------------------------------- */

static int save_own_card(struct app *a, struct person *p, struct err *err)
{
    struct contact c;
    char id[KIOSK_ID_LEN];
    contact_clear(&c);
    snprintf(c.ref, sizeof(c.ref), "%s", p->c.ref);
    snprintf(c.pitch, sizeof(c.pitch), "%s", p->c.pitch);
    obj_format(p->obj, c.objectives, sizeof(c.objectives));
    snprintf(p->c.objectives, sizeof(p->c.objectives), "%s", c.objectives);
    if (!c.pitch[0] && !c.objectives[0])
        return 0;
    return store_attendee_upsert(a->store, &c, "badge", a->now, id, err);
}

static void save_handshake(struct app *a)
{
    struct store_interaction in;
    char objectives[KIOSK_OBJ_MAX];
    static const char *const fu[] = {"none", "tomorrow", "next-week"};
    struct err e = {{0}};
    struct store_followup_result fres = {0, 0, 0};
    if (!a->p[0].consent_at || !a->p[1].consent_at)
        return; /* the button is disabled; belt and braces */
    obj_format(a->hs_obj, objectives, sizeof(objectives));
    memset(&in, 0, sizeof(in));
    in.kind = "handshake";
    in.a_id = a->p[0].id;
    in.b_id = a->p[1].id;
    in.operator_name = "";
    in.consent_a_at = a->p[0].consent_at;
    in.consent_b_at = a->p[1].consent_at;
    in.consent_scope = a->followup ? "card+followup" : "card";
    in.consent_version = config_str(a->cfg, "privacy.consent_text");
    in.objectives = objectives;
    in.followup_choice = fu[a->followup];
    if (store_begin(a->store, &e) < 0)
        goto fail;
    if (save_own_card(a, &a->p[0], &e) < 0 || save_own_card(a, &a->p[1], &e) < 0)
        goto fail;
    if (store_interaction_add(a->store, &in, a->now, a->interaction_id, &e) < 0)
        goto fail;
    if (a->note[0] &&
        store_note_append(a->store, a->interaction_id, "kiosk", a->note, a->now, &e) < 0)
        goto fail;
    if (a->followup && store_followup_queue(a->store, a->interaction_id, &a->policy, &a->tz,
                                            a->now, &fres, &e) < 0)
        goto fail;
    if (store_commit(a->store, &e) < 0)
        goto fail;
    logf_(a, "interaction committed id=%s kind=handshake followup=%s queued=%d note=%s",
          a->interaction_id, fu[a->followup], fres.queued + fres.merged,
          a->note[0] ? "yes" : "no");
    make_qr(a, &a->p[0], &a->p[1]);
    make_qr(a, &a->p[1], &a->p[0]);
    go(a, APP_SAVED);
    return;
fail:
    store_rollback(a->store);
    a->interaction_id[0] = '\0';
    logf_(a, "handshake NOT saved: %s", e.msg);
    toast(a, tr(a, S_T_NOT_SAVED));
}

static int put_json_str(char *out, size_t size, size_t *used, const char *s)
{
    if (put(out, size, used, "\"", 1) < 0)
        return -1;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        char esc[8];
        size_t n = 1;
        esc[0] = (char)ch;
        if (ch == '"' || ch == '\\') {
            esc[0] = '\\';
            esc[1] = (char)ch;
            n = 2;
        } else if (ch < 0x20) {
            n = (size_t)snprintf(esc, sizeof(esc), "\\u%04x", ch);
        }
        if (put(out, size, used, esc, n) < 0)
            return -1;
    }
    return put(out, size, used, "\"", 1);
}

/* Question index of key, or -1. */
static int question_of(const struct app *a, const char *key)
{
    for (int i = 0; i < a->nq; i++)
        if (strcmp(a->q[i].id, key) == 0)
            return i;
    return -1;
}

/* A lead's answers as JSON: {"id":"opt"}, {"id":["a","b"]}, {"id":"text"},
 * then, as stored, the answers this screen could not show (see
 * answers_old). Returns 0, or -1 when the whole set does not fit in size
 * bytes: it is never cut. */
static int lead_answers(struct app *a, char *out, size_t size)
{
    size_t used = 0;
    int first = 1;
    struct json j;
    struct json_tok *toks = a->answer_toks;
    int have_old = a->answers_old[0] &&
                   json_parse(&j, a->answers_old, strlen(a->answers_old), toks, ANSWER_TOKS, 0,
                              NULL, 0) == 0 &&
                   toks[0].type == JSON_OBJECT;
    if (put(out, size, &used, "{", 1) < 0)
        return -1;
    for (int i = 0; i < a->nq; i++) {
        const struct question *q = &a->q[i];
        int untouched = q->kind == 't' ? !a->q_text[i][0] : a->q_mask[i] == a->q_mask0[i];
        int v = -1;
        if ((a->q_keep & (1u << i)) && untouched && have_old)
            v = json_get(&j, 0, q->id);
        if (v < 0 && (q->kind == 't' ? !a->q_text[i][0] : !a->q_mask[i]))
            continue;
        if ((!first && put(out, size, &used, ",", 1) < 0) ||
            put_json_str(out, size, &used, q->id) < 0 || put(out, size, &used, ":", 1) < 0)
            return -1;
        first = 0;
        if (v >= 0) {
            /* As stored: strings' spans exclude their quotes. */
            size_t s0 = toks[v].start - (toks[v].type == JSON_STRING);
            size_t s1 = toks[v].end + (toks[v].type == JSON_STRING);
            if (put(out, size, &used, a->answers_old + s0, s1 - s0) < 0)
                return -1;
        } else if (q->kind == 't') {
            if (put_json_str(out, size, &used, a->q_text[i]) < 0)
                return -1;
        } else if (q->kind == 's') {
            for (int o = 0; o < q->nopt; o++)
                if ((a->q_mask[i] & (1u << o)) && put_json_str(out, size, &used, q->opt[o]) < 0)
                    return -1;
        } else {
            int f2 = 1;
            if (put(out, size, &used, "[", 1) < 0)
                return -1;
            for (int o = 0; o < q->nopt; o++) {
                if (!(a->q_mask[i] & (1u << o)))
                    continue;
                if ((!f2 && put(out, size, &used, ",", 1) < 0) ||
                    put_json_str(out, size, &used, q->opt[o]) < 0)
                    return -1;
                f2 = 0;
            }
            if (put(out, size, &used, "]", 1) < 0)
                return -1;
        }
    }
    /* Answers to questions no longer configured: kept as they were. */
    for (int m = 0, k = 1; have_old && m < toks[0].count; m++) {
        char key[KIOSK_ANSWERS_MAX];
        int v = k + 1;
        size_t s0 = toks[k].start - 1, s1 = toks[v].end + (toks[v].type == JSON_STRING);
        if (json_string(&j, k, key, sizeof(key)) < 0 || question_of(a, key) < 0) {
            if ((!first && put(out, size, &used, ",", 1) < 0) ||
                put(out, size, &used, a->answers_old + s0, s1 - s0) < 0)
                return -1;
            first = 0;
        }
        k = toks[v].next;
    }
    return put(out, size, &used, "}", 1);
}

static void save_lead(struct app *a)
{
    char tags[KIOSK_CONFIG_VALUE_MAX], answers[KIOSK_ANSWERS_MAX];
    size_t used = 0;
    struct err e = {{0}};
    int fresh = !a->lead_id[0], fit = 1;
    tags[0] = '\0';
    for (int i = 0; i < a->ntags; i++)
        if (a->tag_mask & (1u << i))
            fit &= (used == 0 || put(tags, sizeof(tags), &used, ",", 1) == 0) &&
                   put(tags, sizeof(tags), &used, a->tags[i], strlen(a->tags[i])) == 0;
    if (a->tags_old[0])
        fit &= (used == 0 || put(tags, sizeof(tags), &used, ",", 1) == 0) &&
               put(tags, sizeof(tags), &used, a->tags_old, strlen(a->tags_old)) == 0;
    if (!fit || lead_answers(a, answers, sizeof(answers)) < 0) {
        /* Never stored cut: nothing is written, staff shorten an answer. */
        logf_(a, "lead NOT saved: %s longer than %d bytes", fit ? "answers" : "tags",
              fit ? KIOSK_ANSWERS_MAX - 1 : KIOSK_CONFIG_VALUE_MAX - 1);
        toast(a, tr(a, S_T_ANSWERS_TOO_LONG));
        return;
    }
    if (store_begin(a->store, &e) < 0)
        goto fail;
    if (fresh) {
        struct store_interaction in;
        memset(&in, 0, sizeof(in));
        in.kind = "lead";
        in.a_id = a->p[0].id;
        in.operator_name = config_str(a->cfg, "booth.operator");
        /* Handing a badge to booth staff to scan is the visitor's consent. */
        in.consent_a_at = a->screen_at;
        in.consent_scope = "lead";
        in.consent_version = config_str(a->cfg, "privacy.consent_text");
        in.objectives = "";
        in.followup_choice = "none";
        if (store_interaction_add(a->store, &in, a->now, a->lead_id, &e) < 0)
            goto fail;
    }
    if (store_lead_set(a->store, a->lead_id, a->rating, tags, answers, a->now, &e) < 0)
        goto fail;
    if (a->note[0] && store_note_append(a->store, a->lead_id,
                                        config_str(a->cfg, "booth.operator")[0]
                                            ? config_str(a->cfg, "booth.operator")
                                            : "booth",
                                        a->note, a->now, &e) < 0)
        goto fail;
    if (store_commit(a->store, &e) < 0)
        goto fail;
    logf_(a, "interaction committed id=%s kind=lead %s rating=%d note=%s", a->lead_id,
          fresh ? "new" : "update", a->rating, a->note[0] ? "yes" : "no");
    wipe(a);
    toast(a, tr(a, S_T_LEAD_SAVED));
    go(a, APP_ATTRACT);
    return;
fail:
    store_rollback(a->store);
    if (fresh)
        a->lead_id[0] = '\0';
    logf_(a, "lead NOT saved: %s", e.msg);
    toast(a, tr(a, S_T_LEAD_FAIL));
}

static void print_job(struct app *a, const char *kind, const char *iid, const char *owner,
                      const char *other, int *queued)
{
    struct app_print job = {kind, iid, owner, other, lang_codes[a->lang]}; /* the screen's */
    struct err e = {{0}};
    if (!a->hooks.print) {
        snprintf(e.msg, sizeof(e.msg), "no printer");
    } else if (a->hooks.print(a->hooks.ctx, &job, a->now, &e) == 0) {
        (*queued)++;
        a->print_test = strcmp(kind, "test") == 0;
        if (a->print_person != a->person)
            a->print_slips = 0;
        a->print_slips++;
        a->print_person = a->person;
        logf_(a, "print queued kind=%s", kind);
        return;
    }
    logf_(a, "print refused kind=%s: %s", kind, e.msg);
}

/* ---- drawing blocks ---------------------------------------------------------- */

#define T (&a->ui.theme)
#define U (a->ui.unit)

static int btn_h(const struct app *a)
{
    /* Large text makes buttons taller too (room for a label on two lines),
     * where they are above the touch-target minimum anyway. */
    int h = a->ui.unit * 9 * a->ui.text_scale / 100;
    return h < a->ui.target ? a->ui.target : h;
}

static int gap(const struct app *a)
{
    return a->ui.unit * 2;
}

static struct ui_rect topbar(struct app *a, const char *title)
{
    struct ui_rect all = {0, 0, a->ui.w, a->ui.h};
    struct ui_rect bar = ui_cut_top(&all, U * 9 > a->ui.target ? U * 9 : a->ui.target);
    struct ui_rect in = ui_inset(bar, U * 2), pill;
    char mode[96];
    ui_fill(&a->ui, bar, T->bar, 0);
    snprintf(mode, sizeof(mode), "%s", tr(a, a->booth ? S_M_BOOTH : S_M_NETWORKING));
    if (a->booth && config_str(a->cfg, "booth.operator")[0])
    {
        snprintf(mode, sizeof(mode), "%s \xC2\xB7 %.60s", tr(a, S_M_BOOTH),
                 config_str(a->cfg, "booth.operator"));
        utf8_whole(mode);
    }
    pill = ui_cut_right(&in, ui_text_width(&a->ui, ui_font(&a->ui, 22), 1, mode) + U * 4);
    ui_cut_right(&in, U * 2);
    ui_fill(&a->ui, pill, a->contrast ? T->primary : ui_rgba(0x2B5576, 255), pill.h / 2);
    ui_label(&a->ui, pill, ui_font(&a->ui, 22), 1, a->contrast ? T->on_primary : T->on_bar,
             UI_CENTER | UI_MIDDLE, mode);
    /* A small logo mark: two overlapping rounded squares. */
    {
        struct ui_rect m = ui_cut_left(&in, in.h);
        struct ui_rect m1 = {m.x, m.y + m.h / 6, m.w * 2 / 3, m.h * 2 / 3};
        struct ui_rect m2 = {m.x + m.w / 3, m.y + m.h / 6, m.w * 2 / 3, m.h * 2 / 3};
        ui_fill(&a->ui, m1, T->accent, U);
        ui_fill(&a->ui, m2, a->contrast ? T->on_bar : ui_rgba(0x3DBFAF, 220), U);
        ui_cut_left(&in, U * 2);
    }
    {
        /* The event name takes what it needs, at most half: the title (a
         * keyboard's long French prompt) gets the rest. */
        int nw = ui_text_width(&a->ui, ui_font(&a->ui, 30), 1, a->event_name) + U * 2;
        ui_label(&a->ui, ui_cut_left(&in, nw < in.w / 2 ? nw : in.w / 2), ui_font(&a->ui, 30), 1,
                 T->on_bar, UI_LEFT | UI_MIDDLE, a->event_name);
    }
    if (title && title[0])
        ui_label_wrap(&a->ui, in, ui_font(&a->ui, 26), 0, T->on_bar, UI_RIGHT, title);
    /* The hidden admin gesture lives in the top-left corner of every screen. */
    {
        struct ui_rect corner = {0, 0, bar.h * 3 / 2, bar.h};
        ui_hit(&a->ui, "admin_corner", corner, 1);
    }
    return ui_inset(all, gap(a));
}

/* A wrapped paragraph cut off the top of *r: exactly as tall as it needs
 * (at most max_lines lines). */
static void block(struct app *a, struct ui_rect *r, int size, int bold, struct ui_color c,
                  int align, const char *text, int max_lines)
{
    int h = ui_paragraph_height(&a->ui, r->w, size, bold, text);
    int cap = size * 13 / 10 * max_lines;
    ui_paragraph(&a->ui, ui_cut_top(r, h < cap ? h : cap), size, bold, c, align, text);
}

static unsigned hash_name(const char *s)
{
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static void avatar(struct app *a, struct ui_rect r, const struct contact *c)
{
    static const unsigned palette[] = {0x0F766E, 0x1D4ED8, 0x7C3AED, 0xB45309,
                                       0xBE185D, 0x047857, 0x0369A1, 0x9D174D};
    char nm[KIOSK_NAME_MAX], ini[16] = "";
    size_t n = 0;
    int word_start = 1;
    contact_name(c, nm, sizeof(nm));
    for (const char *p = nm; *p && n < 8; p++) {
        if (*p == ' ') {
            word_start = 1;
            continue;
        }
        if (word_start && (n == 0 || !strchr(nm, ' ') || p == strrchr(nm, ' ') + 1)) {
            /* copy one UTF-8 character */
            ini[n++] = *p;
            while ((p[1] & 0xC0) == 0x80 && n < 12)
                ini[n++] = *++p;
        }
        word_start = 0;
    }
    ini[n] = '\0';
    ui_fill(&a->ui, r, a->contrast ? T->primary : ui_rgba(palette[hash_name(nm) % 8], 255), r.h / 2);
    ui_label(&a->ui, r, r.h * 2 / 5, 1, a->contrast ? T->on_primary : ui_rgba(0xFFFFFF, 255),
             UI_CENTER | UI_MIDDLE, ini);
}

/* A person's card. private_fields: also show e-mail (own card only).
 * reserve: pixels at the bottom the caller draws in (nothing else goes
 * there). */
static void person_card(struct app *a, struct ui_rect r, const struct person *p, int private_fields,
                        const char *caption, int reserve)
{
    struct ui_rect in, head, av, txt;
    char nm[KIOSK_NAME_MAX], line[KIOSK_TITLE_MAX + KIOSK_ORG_MAX + 8];
    int big = ui_font(&a->ui, r.h > U * 40 ? 44 : 36), mid = ui_font(&a->ui, 26);
    /* A short card (two cards side by side on a 7" panel) packs tighter so
     * a pitch line still fits under the name. */
    int compact = r.h < U * 30, head_h = U * 12, av_side, stack = 0;
    if (compact && big * 13 / 10 + mid * 13 / 10 + U < head_h)
        head_h = big * 13 / 10 + mid * 13 / 10 + U;
    av_side = head_h;
    ui_card(&a->ui, r, T->surface, U * 2);
    in = ui_inset(r, compact ? U * 2 : U * 3);
    in.h = in.h > reserve ? in.h - reserve : 0;
    if (caption && caption[0]) {
        ui_label(&a->ui, ui_cut_top(&in, ui_font(&a->ui, 22) * 3 / 2), ui_font(&a->ui, 22), 1,
                 T->primary, UI_LEFT, caption);
        ui_cut_top(&in, U);
    }
    name_of(p, nm, sizeof(nm));
    line[0] = '\0';
    if (p->c.title[0] && p->c.org[0])
        snprintf(line, sizeof(line), "%s \xC2\xB7 %s", p->c.title, p->c.org);
    else
        snprintf(line, sizeof(line), "%s%s", p->c.title, p->c.org);
    if (!compact) {
        /* A card with room (the narrow lead column) whose name or title
         * does not fit beside the initials puts them under the initials,
         * across the card, wrapped rather than cut, as long as what
         * follows keeps its room: half the card for a pitch and objectives,
         * else two lines for the email. */
        int tw = in.w - av_side - U * 2;
        int room = p->c.pitch[0] || p->obj ? in.h / 2 : in.h - mid * 2;
        if (ui_text_width(&a->ui, big, 1, nm) > tw || ui_text_width(&a->ui, mid, 0, line) > tw) {
            /* Three lines each at most (a longer one ends in an ellipsis
             * there, still more than one line shows). */
            int nh = ui_paragraph_height(&a->ui, in.w, big, 1, nm);
            int lh = line[0] ? ui_paragraph_height(&a->ui, in.w, mid, 0, line) : 0;
            if (nh > big * 13 / 10 * 3)
                nh = big * 13 / 10 * 3;
            if (lh > mid * 13 / 10 * 3)
                lh = mid * 13 / 10 * 3;
            if (av_side + U + nh + lh <= room) {
                stack = 1;
                head_h = av_side + U + nh + lh;
            }
        }
    }
    head = ui_cut_top(&in, head_h < in.h ? head_h : in.h);
    if (stack) {
        av = ui_cut_top(&head, av_side);
        av.w = av_side;
        avatar(a, av, &p->c);
        ui_cut_top(&head, U);
        block(a, &head, big, 1, T->text, UI_LEFT, nm, 3);
        block(a, &head, mid, 0, T->muted, UI_LEFT, line, 3);
    } else {
        if (head.h >= mid * 2) { /* a card squeezed to one line has no room for initials */
            av = ui_cut_left(&head, head.h);
            avatar(a, av, &p->c);
            ui_cut_left(&head, U * 2);
        }
        txt = head;
        ui_label(&a->ui, ui_cut_top(&txt, big * 13 / 10), big, 1, T->text, UI_LEFT, nm);
        if (txt.h >= mid) /* a card squeezed to one line keeps the name */
            ui_label(&a->ui, ui_cut_top(&txt, mid * 13 / 10), mid, 0, T->muted, UI_LEFT, line);
    }
    ui_cut_top(&in, compact ? U : U * 2);
    if (private_fields && p->c.n_emails > 0 && in.h > mid * 2)
        ui_label(&a->ui, ui_cut_top(&in, mid * 14 / 10), mid, 0, T->text, UI_LEFT, p->c.emails[0]);
    if (p->c.pitch[0] && in.h >= mid * 13 / 10) {
        char q[KIOSK_PITCH_MAX + 16];
        snprintf(q, sizeof(q), "\xE2\x80\x9C%s\xE2\x80\x9D", p->c.pitch);
        block(a, &in, mid, 0, T->text, UI_LEFT, q, in.h >= mid * 2 ? 2 : 1);
    }
    if (p->obj && in.h > mid * 2) {
        /* Objectives as small read-only tags. */
        int x = in.x, y = in.y + U, hgt = ui_font(&a->ui, 20) * 2;
        for (int i = 0; i < NOBJ; i++) {
            int w;
            struct ui_rect t;
            if (!(p->obj & (1u << i)))
                continue;
            w = ui_text_width(&a->ui, ui_font(&a->ui, 20), 1, tr(a, (enum str)(S_OBJ_MENTORSHIP + i))) + U * 3;
            if (x + w > in.x + in.w) {
                x = in.x;
                y += hgt + U;
                if (y + hgt > in.y + in.h)
                    break;
            }
            t = (struct ui_rect){x, y, w, hgt};
            ui_fill(&a->ui, t, T->primary_soft, hgt / 2);
            ui_label(&a->ui, t, ui_font(&a->ui, 20), 1, a->contrast ? T->text : T->primary,
                     UI_CENTER | UI_MIDDLE, tr(a, (enum str)(S_OBJ_MENTORSHIP + i)));
            x += w + U;
        }
    }
}

/* Why there is no preview, in the current language. */
static const char *camera_reason(const struct app *a)
{
    switch (a->camera_state) {
    case APP_CAMERA_NONE: return tr(a, S_CAM_NONE);
    case APP_CAMERA_UNAVAILABLE: return tr(a, S_CAM_UNAVAILABLE);
    case APP_CAMERA_LOST: return tr(a, S_CAM_LOST);
    case APP_CAMERA_OK: break;
    }
    return tr(a, S_CAM_NA_HINT);
}

/* The caption under a panel waiting for a badge: where to hold it (s) with
 * a camera, the hand scanner without one (there is no frame to hold it in). */
static const char *badge_caption(const struct app *a, enum str s)
{
    return tr(a, a->camera_ok ? s : S_USE_SCANNER);
}

/* Camera preview with a guide frame, or a friendly placeholder. */
static void preview_panel(struct app *a, struct ui_rect r, const char *caption)
{
    /* A caption too wide for the panel (a 7" screen) takes two lines
     * rather than shrinking below readable. */
    int cs = ui_font(&a->ui, 24);
    int two = caption && ui_text_width(&a->ui, cs, 1, caption) > r.w - U * 2;
    struct ui_rect cap = ui_cut_bottom(&r, two ? cs * 13 / 10 * 2 + U : ui_font(&a->ui, 26) * 2);
    int side, len, th = U > 3 ? U * 3 / 4 : 2;
    struct ui_rect g;
    ui_card(&a->ui, r, ui_rgba(0x0B1B2B, 255), U * 2);
    if (a->camera_ok) {
        ui_preview(&a->ui, ui_inset(r, U));
    } else {
        struct ui_rect in = ui_inset(r, U * 4);
        ui_label_fit(&a->ui, ui_cut_top(&in, in.h / 2), ui_font(&a->ui, 30), 1, ui_rgba(0xFFFFFF, 255),
                 UI_CENTER | UI_MIDDLE, tr(a, S_CAM_NA));
        ui_paragraph(&a->ui, in, ui_font(&a->ui, 22), 0, ui_rgba(0xC8D2DC, 255), UI_CENTER,
                     camera_reason(a));
    }
    side = (r.w < r.h ? r.w : r.h) * 62 / 100;
    g = (struct ui_rect){r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side};
    len = side / 5;
    {
        struct ui_color c = T->accent;
        struct ui_rect bars[8] = {
            {g.x, g.y, len, th},           {g.x, g.y, th, len},
            {g.x + side - len, g.y, len, th}, {g.x + side - th, g.y, th, len},
            {g.x, g.y + side - th, len, th}, {g.x, g.y + side - len, th, len},
            {g.x + side - len, g.y + side - th, len, th},
            {g.x + side - th, g.y + side - len, th, len}};
        /* The guide frame frames a live picture; over the "unavailable" text it
         * would only cut through the words. */
        for (int i = 0; a->camera_ok && i < 8; i++)
            ui_fill(&a->ui, bars[i], c, th / 2);
    }
    if (two)
        ui_paragraph(&a->ui, ui_inset(cap, U / 2), cs, 1, T->muted, UI_CENTER, caption);
    else
        ui_label_fit(&a->ui, cap, cs, 1, T->muted, UI_CENTER | UI_MIDDLE, caption);
}

/* A tappable text field that opens the keyboard. */
static void field(struct app *a, const char *id, struct ui_rect r, const char *label,
                  const char *placeholder, char *target, size_t size, int single_line)
{
    int held = ui_held(&a->ui, id, r);
    struct ui_rect in;
    ui_fill(&a->ui, r, held ? T->primary_soft : T->surface, U * 2);
    ui_outline(&a->ui, r, T->border, U * 2, U / 4 > 1 ? U / 4 : 2);
    in = ui_inset(r, U * 2);
    in.x += U;
    in.w -= U;
    if (label && label[0]) {
        int lw = ui_text_width(&a->ui, ui_font(&a->ui, 24), 1, label) + U * 2;
        ui_label(&a->ui, ui_cut_left(&in, lw), ui_font(&a->ui, 24), 1, T->muted,
                 UI_LEFT | UI_MIDDLE, label);
    }
    if (target[0])
        ui_label(&a->ui, in, ui_font(&a->ui, 26), 0, T->text, UI_LEFT | UI_MIDDLE, target);
    else
        ui_label_fit(&a->ui, in, ui_font(&a->ui, 26), 0, T->muted, UI_LEFT | UI_MIDDLE,
                     placeholder);
    if (ui_hit(&a->ui, id, r, 1)) {
        a->edit_target = target;
        a->edit_size = size;
        snprintf(a->edit_text, sizeof(a->edit_text), "%s", target);
        snprintf(a->edit_label, sizeof(a->edit_label), "%s", placeholder);
        a->edit_single_line = single_line;
        a->edit_return = a->screen;
        a->kb_shift = keyboard_shift_after(KEYBOARD_SHIFT_OFF, a->edit_text, 1);
        a->kb_layer = KEYBOARD_LETTERS;
        go(a, APP_EDITOR);
    }
}

/* A row of chips that wraps; returns the height used. toggles bits in *mask
 * (single = only one may be on). */
static int chips(struct app *a, struct ui_rect r, const char *prefix, const char *const *labels,
                 const char *const *ids, int n, unsigned *mask, int single)
{
    int x = r.x, y = r.y, h = a->ui.target;
    for (int i = 0; i < n; i++) {
        char id[UI_ID_MAX];
        int w = ui_text_width(&a->ui, ui_font(&a->ui, 26), 1, labels[i]) + U * 6;
        struct ui_rect c;
        if (w < h * 3 / 2)
            w = h * 3 / 2;
        if (x + w > r.x + r.w && x > r.x) {
            x = r.x;
            y += h + U;
        }
        c = (struct ui_rect){x, y, w, h};
        snprintf(id, sizeof(id), "%s%s", prefix, ids ? ids[i] : "");
        if (!ids)
            snprintf(id, sizeof(id), "%s%d", prefix, i + 1);
        if (ui_button(&a->ui, id, c, labels[i], (*mask & (1u << i)) ? UI_CHIP_ON : UI_CHIP_OFF,
                      1)) {
            if (single)
                *mask = (*mask & (1u << i)) ? 0 : (1u << i);
            else
                *mask ^= 1u << i;
        }
        x += w + U;
    }
    return y + h - r.y;
}

/* The objective chip labels in the current language. */
static void obj_labels(const struct app *a, const char *out[NOBJ])
{
    for (int i = 0; i < NOBJ; i++)
        out[i] = tr(a, (enum str)(S_OBJ_MENTORSHIP + i));
}

static int chips_height(const struct app *a, int w, const char *const *labels, int n)
{
    int x = 0, rows = 1, h = a->ui.target;
    for (int i = 0; i < n; i++) {
        int cw = ui_text_width(&a->ui, ui_font(&a->ui, 26), 1, labels[i]) + a->ui.unit * 6;
        if (cw < h * 3 / 2)
            cw = h * 3 / 2;
        if (x + cw > w && x > 0) {
            x = 0;
            rows++;
        }
        x += cw + a->ui.unit;
    }
    return rows * h + (rows - 1) * a->ui.unit;
}

static void section_label(struct app *a, struct ui_rect *r, const char *text)
{
    int s = ui_font(&a->ui, 22);
    ui_label(&a->ui, ui_cut_top(r, s * 16 / 10), s, 1, T->muted, UI_LEFT | UI_MIDDLE, text);
}

static int portrait(const struct app *a)
{
    return a->ui.h > a->ui.w;
}

/* ---- screens -------------------------------------------------------------------- */

/* The language chooser over the attract screen: each language in its own
 * name, two by two, the current one marked; ids lang_en, lang_de, lang_fr,
 * lang_es. A tap beside the card closes it with the language unchanged. */
static void lang_chooser(struct app *a)
{
    struct ui_rect all = {0, 0, a->ui.w, a->ui.h}, card, in, row;
    int bh = btn_h(a), g = gap(a), bw;
    int w = a->ui.w - U * 8 < U * 120 ? a->ui.w - U * 8 : U * 120;
    ui_fill(&a->ui, all, ui_rgba(0x000000, 120), 0);
    if (ui_hit(&a->ui, "lang_bg", all, 1))
        a->lang_pick = 0;
    card = (struct ui_rect){(a->ui.w - w) / 2, 0, w, bh * 2 + g + U * 8};
    card.y = (a->ui.h - card.h) / 2;
    ui_card(&a->ui, card, T->surface, U * 2);
    in = ui_inset(card, U * 4);
    bw = (in.w - g) / 2;
    for (int i = 0; i < NLANG; i++) {
        struct ui_rect b;
        char id[16], label[48];
        if (i % 2 == 0) {
            row = ui_cut_top(&in, bh);
            ui_cut_top(&in, g);
        }
        b = i % 2 == 0 ? ui_cut_left(&row, bw) : ui_cut_right(&row, bw);
        snprintf(id, sizeof(id), "lang_%s", lang_codes[i]);
        snprintf(label, sizeof(label), "%s%s", i == a->lang ? "\xE2\x9C\x93 " : "",
                 words[S_LANG_NAME][i]);
        if (ui_button(&a->ui, id, b, label, i == a->lang ? UI_PRIMARY : UI_SECONDARY, 1)) {
            a->lang = i;
            a->lang_pick = 0;
            a->changed = 1;
        }
    }
}

static void scr_attract(struct app *a)
{
    struct ui_rect r = topbar(a, NULL), text, cam, tip = {0, 0, 0, 0}, row;
    int tipi = (int)((a->now / TIP_MS) % NTIPS);
    if (portrait(a)) {
        cam = ui_cut_top(&r, r.h * 45 / 100);
        ui_cut_top(&r, gap(a));
        text = r;
    } else {
        cam = ui_cut_right(&r, r.w * 45 / 100);
        ui_cut_right(&r, gap(a) * 2);
        text = r;
    }
    preview_panel(a, cam, badge_caption(a, S_BADGE_HERE));

    text = ui_inset(text, U * 2);
    row = ui_cut_bottom(&text, btn_h(a));
    ui_cut_bottom(&text, U * 3);
    ui_cut_top(&text, U * 3);
    block(a, &text, ui_font(&a->ui, 62), 1, T->text, UI_LEFT, tr(a, S_HEADLINE), 3);
    ui_cut_top(&text, U * 2);
    block(a, &text, ui_font(&a->ui, 30), 0, T->muted, UI_LEFT,
          tr(a, a->booth ? S_SUB_BOOTH : S_SUB_HS), 3);
    ui_cut_top(&text, U * 3);
    {
        /* The tip card sits at the bottom; the three steps above it if they fit. */
        /* As tall as the current tip needs: two lines, three for a long
         * translation in large text. */
        int tip_lines = ui_paragraph_height(&a->ui, text.w - U * 7, ui_font(&a->ui, 28), 0,
                                            tr(a, (enum str)(S_TIP1 + tipi)));
        int tip_h = U * 8 + ui_font(&a->ui, 22) * 16 / 10 +
                    (tip_lines > ui_font(&a->ui, 28) * 13 / 10 * 2
                         ? ui_font(&a->ui, 28) * 13 / 10 * 3
                         : ui_font(&a->ui, 28) * 13 / 10 * 2);
        int sh = ui_font(&a->ui, 26) * 2;
        if (text.h > tip_h)
            tip = ui_cut_bottom(&text, tip_h);
        else
            tip = (struct ui_rect){0, 0, 0, 0};
        /* On a small panel the steps close up rather than disappear. */
        if (text.h < 3 * sh + 2 * U + U * 2)
            sh = ui_font(&a->ui, 26) * 16 / 10;
        if (!a->booth && text.h >= 3 * sh + 2 * U + U * 2) {
            enum str steps[3] = {S_STEP1, S_STEP2, S_STEP3};
            for (int i = 0; i < 3; i++) {
                struct ui_rect st = ui_cut_top(&text, sh), dot;
                char num[4];
                dot = ui_inset(ui_cut_left(&st, sh), U / 2);
                ui_fill(&a->ui, dot, T->primary, dot.h / 2);
                snprintf(num, sizeof(num), "%d", i + 1);
                ui_label(&a->ui, dot, ui_font(&a->ui, 22), 1, T->on_primary, UI_CENTER | UI_MIDDLE,
                         num);
                ui_cut_left(&st, U * 2);
                ui_label(&a->ui, st, ui_font(&a->ui, 26), 0, T->text, UI_LEFT | UI_MIDDLE,
                         tr(a, steps[i]));
                ui_cut_top(&text, U);
            }
        }
    }
    if (tip.h > 0) {
        ui_card(&a->ui, tip, T->surface, U * 2);
        ui_fill(&a->ui, (struct ui_rect){tip.x, tip.y + U * 2, U, tip.h - U * 4}, T->accent, U / 2);
        tip = ui_inset(tip, U * 3);
        tip.x += U;
        tip.w -= U;
        ui_label(&a->ui, ui_cut_top(&tip, ui_font(&a->ui, 22) * 16 / 10), ui_font(&a->ui, 22), 1,
                 a->contrast ? T->accent : ui_rgba(0xB7791F, 255), UI_LEFT, tr(a, S_TIP_TITLE));
        ui_paragraph(&a->ui, tip, ui_font(&a->ui, 28), 0, T->text, UI_LEFT,
                     tr(a, (enum str)(S_TIP1 + tipi)));
        for (int i = 0; i < NTIPS; i++) {
            struct ui_rect d = {tip.x + tip.w - (NTIPS - i) * U * 2, tip.y - ui_font(&a->ui, 22), U, U};
            ui_fill(&a->ui, d, i == tipi ? T->primary : T->border, U / 2);
        }
    }
    {
        /* Bottom row: connections (handshake mode), language, text size, contrast. */
        int g = U * 2, small = row.h * 5 / 4;
        struct ui_rect con, big, lang;
        con = ui_cut_right(&row, small);
        ui_cut_right(&row, g);
        big = ui_cut_right(&row, small);
        ui_cut_right(&row, g);
        lang = ui_cut_right(&row, a->booth ? row.w : (row.w - g) * 3 / 8);
        ui_cut_right(&row, g);
        if (!a->booth &&
            ui_button(&a->ui, "connections", row, tr(a, S_CONNECTIONS), UI_SECONDARY, 1)) {
            wipe(a);
            go(a, APP_CONN_WAIT);
        }
        {
            /* The current language with a mark that it opens a list (under
             * the name on a narrow button): a visitor finds their own
             * language in the chooser by its name. */
            char l[48];
            snprintf(l, sizeof(l), "%s \xE2\x96\xBE", tr(a, S_LANG_NAME));
            if (ui_button(&a->ui, "lang", lang, l, UI_QUIET, 1))
                a->lang_pick = 1;
        }
        if (ui_button(&a->ui, "large_text", big, "Aa", a->large ? UI_CHIP_ON : UI_QUIET, 1)) {
            a->large = !a->large;
            a->changed = 1;
        }
        if (ui_button(&a->ui, "contrast", con, "\xE2\x97\x90", a->contrast ? UI_CHIP_ON : UI_QUIET,
                      1)) {
            a->contrast = !a->contrast;
            a->changed = 1;
        }
    }
    if (a->lang_pick)
        lang_chooser(a);
}

/* The width of a screen's bottom buttons: 30 units, and never narrower
 * than about nine characters of button text (the font has a floor on small
 * panels and grows with large text, the units do not). */
static int bottom_w(const struct app *a)
{
    int w = U * 30 * a->ui.text_scale / 100, least = ui_font(&a->ui, 30) * 9;
    return w > least ? w : least;
}

static void bottom_buttons(struct app *a, struct ui_rect *r, struct ui_rect *left,
                           struct ui_rect *right)
{
    struct ui_rect row = ui_cut_bottom(r, btn_h(a));
    int w = bottom_w(a);
    if (w > (row.w - gap(a)) / 2)
        w = (row.w - gap(a)) / 2;
    ui_cut_bottom(r, gap(a));
    *left = ui_cut_left(&row, w);
    *right = ui_cut_right(&row, w);
}

/* Widen the two bottom buttons so that each label takes one line where the
 * row has room (each side at most half of it): left grows to the right,
 * right to the left. */
static void bottom_labels(struct app *a, struct ui_rect *left, struct ui_rect *right,
                          const char *llabel, const char *rlabel)
{
    int fs = ui_font(&a->ui, 30), half = (right->x + right->w - left->x - gap(a)) / 2;
    int lw = llabel ? ui_text_width(&a->ui, fs, 1, llabel) + U * 6 : 0;
    int rw = rlabel ? ui_text_width(&a->ui, fs, 1, rlabel) + U * 6 : 0;
    if (lw > left->w)
        left->w = lw < half ? lw : half;
    if (rw > right->w) {
        int w = rw < half ? rw : half;
        right->x -= w - right->w;
        right->w = w;
    }
}

static void scr_mycard(struct app *a)
{
    struct ui_rect r = topbar(a, tr(a, S_YOUR_CARD)), cancel, done, left, cam, f;
    char hint[320], fn[KIOSK_NAME_MAX];
    const char *ol[NOBJ];
    obj_labels(a, ol);
    bottom_buttons(a, &r, &cancel, &done);
    if (portrait(a)) {
        cam = ui_cut_bottom(&r, r.h * 35 / 100);
        ui_cut_bottom(&r, gap(a));
    } else {
        cam = ui_cut_right(&r, r.w * 38 / 100);
        ui_cut_right(&r, gap(a) * 2);
    }
    left = r;
    snprintf(hint, sizeof(hint), "%s", tr(a, S_NEXT_SCAN));
    preview_panel(a, cam, hint);
    {
        int chips_h = chips_height(a, left.w, ol, NOBJ);
        struct ui_rect card = ui_cut_top(&left, left.h - chips_h - btn_h(a) -
                                                    ui_font(&a->ui, 22) * 16 / 10 - gap(a) * 2);
        subst(hint, sizeof(hint), tr(a, S_HELLO), first_name(&a->p[0], fn, sizeof(fn)), NULL);
        /* Reassurance where people look: nothing leaves without consent.
         * One line, or two when it does not fit at the smallest size. */
        int fs = ui_font(&a->ui, 22), two = 0, note_h = fs * 3 / 2;
        if (ui_text_width(&a->ui, fs * 3 / 4 > UI_TEXT_MIN_PX ? fs * 3 / 4 : UI_TEXT_MIN_PX, 0,
                          tr(a, S_SHARED_ONLY)) > card.w - U * 6) {
            two = 1;
            note_h = fs * 13 / 10 * 2;
        }
        person_card(a, card, &a->p[0], 1, hint, card.h > U * 36 ? note_h : 0);
        if (card.h > U * 36) {
            struct ui_rect note = ui_inset(card, U * 3);
            note = ui_cut_bottom(&note, note_h);
            if (two)
                ui_paragraph(&a->ui, note, fs, 0, T->muted, UI_LEFT, tr(a, S_SHARED_ONLY));
            else
                ui_label_fit(&a->ui, note, fs, 0, T->muted, UI_LEFT | UI_MIDDLE,
                             tr(a, S_SHARED_ONLY));
        }
        ui_cut_top(&left, gap(a));
        f = ui_cut_top(&left, btn_h(a));
        field(a, "pitch", f, tr(a, S_PITCH), tr(a, S_PITCH_HINT), a->p[0].c.pitch,
              sizeof(a->p[0].c.pitch), 1);
        ui_cut_top(&left, gap(a));
        section_label(a, &left, tr(a, S_HERE_FOR));
        chips(a, left, "obj_", ol, obj_ids, NOBJ, &a->p[0].obj, 0);
    }
    bottom_labels(a, &cancel, &done, tr(a, S_START_OVER), tr(a, S_SAVE_CARD));
    if (ui_button(&a->ui, "cancel", cancel, tr(a, S_START_OVER), UI_SECONDARY, 1)) {
        wipe(a);
        go(a, APP_ATTRACT);
    }
    if (ui_button(&a->ui, "done", done, tr(a, S_SAVE_CARD), UI_PRIMARY, 1)) {
        struct err e = {{0}};
        if (save_own_card(a, &a->p[0], &e) < 0) {
            toast(a, tr(a, S_T_CARD_FAIL));
        } else {
            logf_(a, "card saved (pitch=%s objectives=%s)", a->p[0].c.pitch[0] ? "yes" : "no",
                  a->p[0].obj ? "yes" : "no");
            wipe(a);
            toast(a, tr(a, S_T_CARD_SAVED));
            go(a, APP_ATTRACT);
        }
    }
}

static void consent_button(struct app *a, const char *id, struct ui_rect r, struct person *me,
                           const struct person *other)
{
    char label[KIOSK_NAME_MAX + 48], fn[KIOSK_NAME_MAX];
    first_name(other, fn, sizeof(fn));
    subst(label, sizeof(label), tr(a, me->consent_at ? S_SHARING_WITH : S_SHARE_WITH), fn, NULL);
    if (ui_button(&a->ui, id, r, label, me->consent_at ? UI_CHIP_ON : UI_SECONDARY, 1))
        me->consent_at = me->consent_at ? 0 : a->now;
}

static void scr_handshake(struct app *a)
{
    struct ui_rect r = topbar(a, tr(a, S_SHARE_Q)), cancel, save, cards, c1, c2, opts;
    const char *fu_labels[3] = {tr(a, S_FU_NONE), tr(a, S_FU_TOMORROW), tr(a, S_FU_WEEK)};
    const char *ol[NOBJ];
    static const char *const fu_ids[] = {"none", "tomorrow", "next_week"};
    unsigned fu_mask;
    int both = a->p[0].consent_at && a->p[1].consent_at;
    int bh = btn_h(a), stack = portrait(a), split = 50, label = ui_font(&a->ui, 22) * 16 / 10;
    bottom_buttons(a, &r, &cancel, &save);
    obj_labels(a, ol);
    for (int pass = 0; pass < 2; pass++) {
        /* Objectives beside the follow-up choice, or (portrait, or when
         * that is lower: large text on a 7" panel wraps the chips into
         * three rows) above it at full width. Side by side, the objectives
         * may take up to 62% of the width when that saves a row of chips
         * (long French labels at 800x480). When the cards would be left
         * without room for a name (French, large text, 800x480), the
         * section titles go. */
        int side_h = 0, stack_h, opts_h;
        for (int pc = 50; pc <= 62; pc += 6) {
            int h = label + chips_height(a, (r.w - gap(a)) * pc / 100, ol, NOBJ);
            if (h < a->ui.target)
                h = a->ui.target;
            if (pc == 50 || h < side_h) {
                side_h = h;
                split = pc;
            }
        }
        stack_h = label + chips_height(a, r.w, ol, NOBJ) + gap(a) + label + a->ui.target;
        stack = portrait(a) || stack_h < side_h;
        opts_h = bh + gap(a) + (stack ? stack_h : side_h);
        if (pass == 0 && !portrait(a) &&
            r.h - opts_h - gap(a) - bh - U < ui_font(&a->ui, 36) * 13 / 10 + U * 4) {
            label = 0;
            continue;
        }
        opts = ui_cut_bottom(&r, opts_h);
        ui_cut_bottom(&r, gap(a));
        cards = r;
        break;
    }
    if (portrait(a)) {
        c1 = ui_cut_top(&cards, (cards.h - gap(a)) / 2);
        ui_cut_top(&cards, gap(a));
        c2 = cards;
    } else {
        c1 = ui_cut_left(&cards, (cards.w - gap(a)) / 2);
        ui_cut_left(&cards, gap(a));
        c2 = cards;
    }
    for (int i = 0; i < 2; i++) {
        struct ui_rect c = i ? c2 : c1;
        struct ui_rect btn = ui_cut_bottom(&c, bh);
        btn = ui_inset(btn, 0);
        ui_cut_bottom(&c, U);
        person_card(a, c, &a->p[i], 0, NULL, 0);
        if (a->p[i].consent_at)
            ui_outline(&a->ui, c, T->ok, U * 2, U / 2 > 1 ? U / 2 : 2);
        consent_button(a, i ? "consent_b" : "consent_a", btn, &a->p[i], &a->p[1 - i]);
    }
    /* Options: note, shared objectives, follow-up. */
    {
        struct ui_rect note = ui_cut_top(&opts, bh), lo, ro;
        ui_cut_top(&opts, gap(a));
        field(a, "note", note, tr(a, S_NOTE), tr(a, S_NOTE_HINT), a->note,
              sizeof(a->note), 0);
        if (stack) {
            lo = ui_cut_top(&opts, opts.h - a->ui.target - gap(a) - label);
            ui_cut_top(&opts, gap(a));
            ro = opts;
        } else {
            lo = ui_cut_left(&opts, (opts.w - gap(a)) * split / 100);
            ui_cut_left(&opts, gap(a));
            ro = opts;
        }
        if (label)
            section_label(a, &lo, tr(a, S_TALKED));
        chips(a, lo, "hs_obj_", ol, obj_ids, NOBJ, &a->hs_obj, 0);
        if (label)
            section_label(a, &ro, tr(a, S_FOLLOWUP));
        fu_mask = 1u << a->followup;
        {
            int w = (ro.w - 2 * U) / 3;
            for (int i = 0; i < 3; i++) {
                char id[UI_ID_MAX];
                struct ui_rect b = {ro.x + i * (w + U), ro.y, w, a->ui.target};
                snprintf(id, sizeof(id), "fu_%s", fu_ids[i]);
                if (ui_button(&a->ui, id, b, fu_labels[i],
                              (fu_mask & (1u << i)) ? UI_CHIP_ON : UI_CHIP_OFF, 1))
                    a->followup = i;
            }
        }
    }
    /* Until both consent the hint needs the room between the buttons. */
    bottom_labels(a, &cancel, &save, tr(a, S_CANCEL), both ? tr(a, S_CONNECT) : NULL);
    if (ui_button(&a->ui, "cancel", cancel, tr(a, S_CANCEL), UI_SECONDARY, 1)) {
        /* Abandoned: the scans stay recorded, nothing is shared. */
        logf_(a, "handshake abandoned (nothing shared)");
        wipe(a);
        go(a, APP_ATTRACT);
    }
    if (!both) {
        struct ui_rect hint = save;
        hint.x = cancel.x + cancel.w + gap(a);
        hint.w = save.x - hint.x - gap(a);
        ui_label_wrap(&a->ui, hint, ui_font(&a->ui, 24), 0, T->muted, UI_CENTER,
                      tr(a, S_BOTH_TAP));
    }
    if (ui_button(&a->ui, "save", save, tr(a, S_CONNECT), UI_PRIMARY, both))
        save_handshake(a);
}

static void big_icon(struct app *a, struct ui_rect r, const char *glyph, struct ui_color c)
{
    ui_fill(&a->ui, r, c, r.h / 2);
    ui_label(&a->ui, r, r.h / 2, 1, a->contrast ? T->on_primary : ui_rgba(0xFFFFFF, 255),
             UI_CENTER | UI_MIDDLE, glyph);
}

static void scr_saved(struct app *a)
{
    struct ui_rect r = topbar(a, tr(a, S_CONNECTED)), body, icon, row;
    char line[KIOSK_NAME_MAX * 2 + 64], n1[KIOSK_NAME_MAX], n2[KIOSK_NAME_MAX];
    int bh = btn_h(a), w;
    body = ui_inset(r, U * 4);
    icon = ui_cut_top(&body, U * 18);
    icon.x += (icon.w - icon.h) / 2;
    icon.w = icon.h;
    big_icon(a, icon, "\xE2\x9C\x93", T->ok);
    ui_cut_top(&body, U * 3);
    ui_label(&a->ui, ui_cut_top(&body, ui_font(&a->ui, 60) * 13 / 10), ui_font(&a->ui, 60), 1,
             T->text, UI_CENTER, tr(a, S_YOURE_CONNECTED));
    subst(line, sizeof(line), tr(a, S_HAVE_CARDS), first_name(&a->p[0], n1, sizeof(n1)),
          first_name(&a->p[1], n2, sizeof(n2)));
    block(a, &body, ui_font(&a->ui, 30), 0, T->muted, UI_CENTER, line, 2);
    if (a->followup) {
        snprintf(line, sizeof(line), "%s", tr(a, a->followup == 1 ? S_REMIND_TOMORROW : S_REMIND_WEEK));
        ui_label(&a->ui, ui_cut_top(&body, ui_font(&a->ui, 26) * 16 / 10), ui_font(&a->ui, 26), 0,
                 T->muted, UI_CENTER, line);
    }
    ui_cut_top(&body, U * 4);
    row = ui_cut_top(&body, bh);
    {
        /* As wide as the widest label needs (large text), within a third. */
        int need = U * 32 * a->ui.text_scale / 100, fs = ui_font(&a->ui, 30);
        const enum str lbl[3] = {S_PRINT_SLIPS, S_SHOW_QR, S_DONE};
        for (int i = 0; i < 3; i++)
            if (ui_text_width(&a->ui, fs, 1, tr(a, lbl[i])) + U * 4 > need)
                need = ui_text_width(&a->ui, fs, 1, tr(a, lbl[i])) + U * 4;
        w = need < (row.w - 2 * U * 2) / 3 ? need : (row.w - 2 * U * 2) / 3;
    }
    row.x += (row.w - (3 * w + 2 * U * 2)) / 2;
    row.w = w;
    if (ui_button(&a->ui, "print", row, tr(a, S_PRINT_SLIPS), UI_PRIMARY, 1)) {
        int queued = 0;
        print_job(a, "handshake", a->interaction_id, a->p[0].id, a->p[1].id, &queued);
        print_job(a, "handshake", a->interaction_id, a->p[1].id, a->p[0].id, &queued);
        toast(a, tr(a, queued == 2 ? S_T_PRINTING_SLIPS : S_T_NO_PRINTER_QR));
    }
    row.x += w + U * 2;
    if (ui_button(&a->ui, "show_qr", row, tr(a, S_SHOW_QR), UI_SECONDARY, 1))
        go(a, APP_QR);
    row.x += w + U * 2;
    if (ui_button(&a->ui, "done", row, tr(a, S_DONE), UI_QUIET, 1)) {
        wipe(a);
        go(a, APP_ATTRACT);
    }
}

static void scr_qr(struct app *a)
{
    struct ui_rect r = topbar(a, tr(a, S_SAVE_PHONE)), done, dummy;
    bottom_buttons(a, &r, &dummy, &done);
    for (int i = 0; i < 2; i++) {
        struct ui_rect c, q;
        char cap[KIOSK_NAME_MAX * 2 + 48], me[KIOSK_NAME_MAX], other[KIOSK_NAME_MAX];
        int side;
        if (portrait(a))
            c = i == 0 ? ui_cut_top(&r, (r.h - gap(a)) / 2) : r;
        else
            c = i == 0 ? ui_cut_left(&r, (r.w - gap(a)) / 2) : r;
        if (i == 0) {
            if (portrait(a))
                ui_cut_top(&r, gap(a));
            else
                ui_cut_left(&r, gap(a));
        }
        ui_card(&a->ui, c, T->surface, U * 2);
        c = ui_inset(c, U * 3);
        subst(cap, sizeof(cap), tr(a, S_SCAN_TO_SAVE), first_name(&a->p[i], me, sizeof(me)),
              first_name(&a->p[1 - i], other, sizeof(other)));
        {
            /* One line, or two when it would be cut even shrunk (large text). */
            int cs = ui_font(&a->ui, 30), least = cs * 3 / 4;
            if (least < UI_TEXT_MIN_PX)
                least = cs < UI_TEXT_MIN_PX ? cs : UI_TEXT_MIN_PX;
            if (ui_text_width(&a->ui, least, 1, cap) > c.w)
                block(a, &c, cs, 1, T->text, UI_CENTER, cap, 2);
            else
                ui_label_fit(&a->ui, ui_cut_top(&c, cs * 16 / 10), cs, 1, T->text, UI_CENTER,
                             cap);
        }
        side = c.w < c.h ? c.w : c.h;
        if (a->p[i].qr_w > 0) {
            int mod = side / (a->p[i].qr_w + 8);
            int s = mod * (a->p[i].qr_w + 8);
            q = (struct ui_rect){c.x + (c.w - s) / 2, c.y + (c.h - s) / 2, s, s};
            ui_fill(&a->ui, q, ui_rgba(0xFFFFFF, 255), 0);
            ui_qr(&a->ui, ui_inset(q, mod * 4), a->p[i].qr, a->p[i].qr_w);
        } else {
            ui_label(&a->ui, c, ui_font(&a->ui, 26), 0, T->muted, UI_CENTER | UI_MIDDLE,
                     tr(a, S_QR_TOO_LARGE));
        }
    }
    if (ui_button(&a->ui, "done", done, tr(a, S_DONE), UI_PRIMARY, 1)) {
        wipe(a);
        go(a, APP_ATTRACT);
    }
}

/* The height question i takes in a column w wide: label, answer, gap. */
static int q_height(const struct app *a, int i, int w)
{
    const struct question *q = &a->q[i];
    const char *labels[Q_OPTS_MAX];
    int h = ui_font(&a->ui, 22) * 16 / 10 + a->ui.unit * 2;
    if (q->kind == 't')
        return h + a->ui.target;
    for (int o = 0; o < q->nopt; o++)
        labels[o] = q->opt[o];
    return h + chips_height(a, w, labels, q->nopt);
}

/* The height the lead screen's qualification card needs in a column w wide
 * (its inset included): rating, tags and every question on one page. */
static int lead_right_height(const struct app *a, int w)
{
    int in = w - a->ui.unit * 6, label = ui_font(&a->ui, 22) * 16 / 10;
    int h = a->ui.unit * 6 + label + a->ui.target + a->ui.unit * 2;
    if (a->ntags) {
        const char *labels[TAGS_MAX];
        for (int i = 0; i < a->ntags; i++)
            labels[i] = a->tags[i];
        h += label + chips_height(a, in, labels, a->ntags) + a->ui.unit * 2;
    }
    for (int i = 0; i < a->nq; i++)
        h += q_height(a, i, in);
    return h;
}

/* Over the lead: "Discard this lead?" Discard / Keep editing. The rest of
 * the screen is dimmed and takes no taps (discard_bg) while it shows. */
static void discard_question(struct app *a)
{
    struct ui_rect all = {0, 0, a->ui.w, a->ui.h}, card, in, row, no, yes;
    int fs = ui_font(&a->ui, 30), bh = btn_h(a), g = gap(a);
    int w = a->ui.w - U * 8 < U * 120 ? a->ui.w - U * 8 : U * 120, bw;
    const char *q = tr(a, S_L_DISCARD_Q);
    int ph = ui_paragraph_height(&a->ui, w - U * 8, fs, 1, q);
    ui_fill(&a->ui, all, ui_rgba(0x000000, 120), 0);
    ui_hit(&a->ui, "discard_bg", all, 1);
    card = (struct ui_rect){(a->ui.w - w) / 2, 0, w, ph + bh + U * 8 + g};
    card.y = (a->ui.h - card.h) / 2;
    ui_card(&a->ui, card, T->surface, U * 2);
    in = ui_inset(card, U * 4);
    ui_paragraph(&a->ui, ui_cut_top(&in, ph), fs, 1, T->text, UI_CENTER, q);
    ui_cut_top(&in, g);
    row = ui_cut_top(&in, bh);
    bw = (row.w - g) / 2;
    no = ui_cut_left(&row, bw);
    yes = ui_cut_right(&row, bw);
    if (ui_button(&a->ui, "discard_cancel", no, tr(a, S_L_KEEP_EDITING), UI_SECONDARY, 1))
        a->discard_ask = 0;
    if (ui_button(&a->ui, "discard_confirm", yes, tr(a, S_L_DISCARD), UI_DANGER, 1)) {
        logf_(a, "lead discarded by staff (scan kept)");
        wipe(a);
        go(a, APP_ATTRACT);
    }
}

static void scr_lead(struct app *a)
{
    struct ui_rect r = topbar(a, tr(a, a->lead_id[0] ? S_L_RETURNING : S_L_NEW)), cancel, save,
                   left, right;
    int bh = btn_h(a), paged;
    bottom_buttons(a, &r, &cancel, &save);
    if (portrait(a)) {
        /* A returning visitor's earlier notes get the height the
         * qualification card leaves (at least a third of the column, at
         * most 60%): a fixed 30% left them no room at all. */
        int lh = r.h * 30 / 100;
        if (a->nhistory > 0) {
            int want = r.h - gap(a) - lead_right_height(a, r.w);
            int least = U * 30 + bh + gap(a) * 2 + U * 24;
            lh = want > least ? want : least;
            if (lh > r.h * 60 / 100)
                lh = r.h * 60 / 100;
            if (lh < r.h * 30 / 100)
                lh = r.h * 30 / 100;
        }
        left = ui_cut_top(&r, lh);
        ui_cut_top(&r, gap(a));
    } else {
        /* A third of the width for the visitor (the name and title wrap
         * there), the rest for rating, tags and questions. */
        left = ui_cut_left(&r, r.w * 32 / 100);
        ui_cut_left(&r, gap(a) * 2);
    }
    right = r;
    /* Left: the visitor, the new note, earlier notes. */
    {
        struct ui_rect card, note, hist;
        int card_h = a->nhistory > 0 || portrait(a) ? U * 30 : left.h - bh - gap(a);
        if (card_h > left.h - bh - gap(a))
            card_h = left.h - bh - gap(a);
        card = ui_cut_top(&left, card_h);
        person_card(a, card, &a->p[0], 1, tr(a, a->lead_id[0] ? S_L_SEEN : S_L_VISITOR),
                    card.h > U * 36 && config_str(a->cfg, "booth.operator")[0]
                        ? ui_font(&a->ui, 22) * 3 / 2
                        : 0);
        if (card.h > U * 36 && config_str(a->cfg, "booth.operator")[0]) {
            char by[KIOSK_CONFIG_VALUE_MAX + 32];
            struct ui_rect line = ui_inset(card, U * 3);
            line = ui_cut_bottom(&line, ui_font(&a->ui, 22) * 3 / 2);
            subst(by, sizeof(by), tr(a, S_L_TAKEN_BY), config_str(a->cfg, "booth.operator"), "");
            ui_label(&a->ui, line, ui_font(&a->ui, 22), 0, T->muted, UI_LEFT | UI_MIDDLE, by);
        }
        ui_cut_top(&left, gap(a));
        note = ui_cut_top(&left, bh);
        field(a, "note", note, tr(a, S_NOTE), tr(a, a->lead_id[0] ? S_L_NOTE_NEW : S_L_NOTE_ADD),
              a->note, sizeof(a->note), 0);
        ui_cut_top(&left, gap(a));
        if (a->nhistory > 0 && left.h > U * 12) {
            hist = left;
            ui_card(&a->ui, hist, T->surface, U * 2);
            hist = ui_inset(hist, U * 3);
            section_label(a, &hist, tr(a, S_L_EARLIER));
            for (int i = 0; i < a->nhistory; i++) {
                char when[48], num[24];
                int64_t ago = (a->now - a->history[i].at) / 60000;
                int fs = ui_font(&a->ui, 24), line = fs * 13 / 10, when_h = fs * 14 / 10;
                /* Each note takes the lines the room allows, keeping two
                 * lines for as many of the older notes as fit below it. */
                int least = when_h + line * 2 + U, rest = a->nhistory - 1 - i, lines;
                int fit = (hist.h - least) / least;
                if (hist.h < when_h + line)
                    break;
                if (fit > rest)
                    fit = rest;
                if (fit < 0)
                    fit = 0;
                lines = (hist.h - when_h - U - fit * least) / line;
                if (lines < 1)
                    lines = 1;
                snprintf(num, sizeof(num), "%lld", (long long)(ago < 120 ? ago : ago / 60));
                if (ago < 1)
                    snprintf(when, sizeof(when), "%s", tr(a, S_L_JUST_NOW));
                else
                    subst(when, sizeof(when), tr(a, ago < 120 ? S_L_MIN_AGO : S_L_H_AGO), num, "");
                ui_label(&a->ui, ui_cut_top(&hist, when_h), ui_font(&a->ui, 20), 1, T->muted,
                         UI_LEFT, when);
                block(a, &hist, fs, 0, T->text, UI_LEFT, a->history[i].body, lines);
                ui_cut_top(&hist, U);
            }
        }
    }
    /* Right: qualification. */
    ui_card(&a->ui, right, T->surface, U * 2);
    right = ui_inset(right, U * 3);
    /* q_first: 0 the first page (rating, tags, the questions that fit);
     * n > 0 a page of questions only, from question n-1. */
    paged = a->q_first > 0 && a->q_first <= a->nq;
    if (!paged)
        section_label(a, &right, tr(a, S_L_RATING));
    if (!paged) {
        struct ui_rect stars = ui_cut_top(&right, a->ui.target);
        for (int i = 1; i <= 5; i++) {
            char id[16];
            struct ui_rect s = ui_cut_left(&stars, a->ui.target + U);
            s.w = a->ui.target;
            snprintf(id, sizeof(id), "rate_%d", i);
            if (ui_hit(&a->ui, id, s, 1))
                a->rating = a->rating == i ? 0 : i;
            ui_label(&a->ui, s, a->ui.target * 8 / 10, 0, i <= a->rating ? T->accent : T->border,
                     UI_CENTER | UI_MIDDLE, i <= a->rating ? "\xE2\x98\x85" : "\xE2\x98\x86");
        }
    }
    if (!paged)
        ui_cut_top(&right, U * 2);
    if (a->ntags && !paged) {
        const char *labels[TAGS_MAX];
        const char *ids[TAGS_MAX];
        for (int i = 0; i < a->ntags; i++)
            labels[i] = ids[i] = a->tags[i];
        section_label(a, &right, tr(a, S_L_TAGS));
        ui_cut_top(&right, chips(a, right, "tag_", labels, ids, a->ntags, &a->tag_mask, 0) + U * 2);
    }
    {
        /* Questions that do not all fit go on pages behind a "More
         * questions" button: a configured question is never just left off.
         * A question that does not fit under the rating and tags (large
         * text on a 7" panel) goes to the next page, where it has the
         * whole card. */
        int total = 0, first = paged ? a->q_first - 1 : 0, next = a->nq;
        struct ui_rect more = {0, 0, 0, 0};
        for (int i = 0; i < a->nq; i++)
            total += q_height(a, i, right.w);
        if (paged || total > right.h) {
            more = ui_cut_bottom(&right, a->ui.target);
            ui_cut_bottom(&right, U);
        }
        for (int i = first; i < a->nq; i++) {
            struct question *q = &a->q[i];
            char id[UI_ID_MAX];
            if ((i > first || !paged) && q_height(a, i, right.w) > right.h) {
                next = i;
                break;
            }
            section_label(a, &right, q->label);
            if (q->kind == 't') {
                snprintf(id, sizeof(id), "q_%s", q->id);
                field(a, id, ui_cut_top(&right, a->ui.target), NULL, tr(a, S_L_ANSWER),
                      a->q_text[i], sizeof(a->q_text[i]), 1);
                /* The keyboard's title names the question being answered. */
                if (a->screen == APP_EDITOR && a->edit_target == a->q_text[i])
                    snprintf(a->edit_label, sizeof(a->edit_label), "%s", q->label);
                ui_cut_top(&right, U * 2);
            } else {
                const char *labels[Q_OPTS_MAX];
                char prefix[UI_ID_MAX];
                for (int o = 0; o < q->nopt; o++)
                    labels[o] = q->opt[o];
                snprintf(prefix, sizeof(prefix), "q_%s_", q->id);
                ui_cut_top(&right, chips(a, right, prefix, labels, NULL, q->nopt, &a->q_mask[i],
                                         q->kind == 's') +
                                       U * 2);
            }
        }
        if (more.h > 0 &&
            ui_button(&a->ui, "q_more", more, tr(a, next < a->nq ? S_L_MORE_Q : S_L_FIRST_Q),
                      UI_QUIET, 1))
            a->q_first = next < a->nq ? next + 1 : 0;
    }
    bottom_labels(a, &cancel, &save, tr(a, S_CANCEL), tr(a, S_L_SAVE));
    if (ui_button(&a->ui, "cancel", cancel, tr(a, S_CANCEL), UI_SECONDARY, 1)) {
        /* One tap must not lose what staff entered: ask first. */
        if (lead_dirty(a))
            a->discard_ask = 1;
        else {
            logf_(a, "lead abandoned (scan kept)");
            wipe(a);
            go(a, APP_ATTRACT);
            return;
        }
    }
    if (ui_button(&a->ui, "save", save, tr(a, S_L_SAVE), UI_PRIMARY, 1))
        save_lead(a);
    if (a->discard_ask && a->screen == APP_LEAD)
        discard_question(a);
}

static void scr_conn_wait(struct app *a)
{
    struct ui_rect r = topbar(a, tr(a, S_CONNECTIONS)), cancel, dummy, text, cam;
    bottom_buttons(a, &r, &cancel, &dummy);
    if (portrait(a)) {
        cam = ui_cut_bottom(&r, r.h * 55 / 100);
        text = r;
    } else {
        cam = ui_cut_right(&r, r.w * 45 / 100);
        ui_cut_right(&r, gap(a) * 2);
        text = r;
    }
    preview_panel(a, cam, badge_caption(a, S_BADGE_HERE));
    text = ui_inset(text, U * 2);
    ui_cut_top(&text, U * 4);
    block(a, &text, ui_font(&a->ui, 56), 1, T->text, UI_LEFT, tr(a, S_SCAN_CONN), 3);
    ui_cut_top(&text, U * 2);
    ui_paragraph(&a->ui, text, ui_font(&a->ui, 30), 0, T->muted, UI_LEFT,
                 tr(a, S_CONN_BODY));
    if (ui_button(&a->ui, "cancel", cancel, tr(a, S_BACK), UI_SECONDARY, 1)) {
        wipe(a);
        go(a, APP_ATTRACT);
    }
}

static void scr_connections(struct app *a)
{
    struct ui_rect r = topbar(a, tr(a, S_CONNECTIONS)), left, right, list;
    char title[KIOSK_NAME_MAX + 64], fn[KIOSK_NAME_MAX];
    int rowh = a->ui.target + U * 2;
    bottom_buttons(a, &r, &left, &right);
    {
        char num[16];
        snprintf(num, sizeof(num), "%d", a->nconns);
        subst(title, sizeof(title), tr(a, a->nconns == 1 ? S_CONN_TITLE1 : S_CONN_TITLE),
              first_name(&a->p[0], fn, sizeof(fn)), num);
    }
    ui_label_fit(&a->ui, ui_cut_top(&r, ui_font(&a->ui, 44) * 15 / 10), ui_font(&a->ui, 44), 1,
             T->text, UI_LEFT | UI_MIDDLE, title);
    ui_cut_top(&r, gap(a));
    list = r;
    ui_card(&a->ui, list, T->surface, U * 2);
    list = ui_inset(list, U * 2);
    if (a->nconns == 0)
        ui_label(&a->ui, list, ui_font(&a->ui, 30), 0, T->muted, UI_CENTER | UI_MIDDLE,
                 tr(a, S_NO_CONN));
    for (int i = 0; i < a->nconns && list.h >= rowh; i++) {
        struct ui_rect row = ui_cut_top(&list, rowh), av, when;
        struct person tmp;
        char ago[32];
        int64_t m = (a->now - a->conns[i].at) / 60000;
        memset(&tmp, 0, sizeof(tmp));
        snprintf(tmp.c.display_name, sizeof(tmp.c.display_name), "%s", a->conns[i].name);
        if (i > 0)
            ui_fill(&a->ui, (struct ui_rect){row.x, row.y, row.w, 1}, T->surface2, 0);
        row = ui_inset(row, U);
        av = ui_cut_left(&row, row.h);
        avatar(a, av, &tmp.c);
        ui_cut_left(&row, U * 2);
        if (m < 1) {
            snprintf(ago, sizeof(ago), "%s", tr(a, S_L_JUST_NOW));
        } else {
            char num[24];
            snprintf(num, sizeof(num), "%lld", (long long)(m < 120 ? m : m / 60));
            subst(ago, sizeof(ago), tr(a, m < 120 ? S_L_MIN_AGO : S_L_H_AGO), num, NULL);
        }
        {
            int ww = ui_text_width(&a->ui, ui_font(&a->ui, 24), 0, ago) + U;
            when = ui_cut_right(&row, ww > U * 20 ? ww : U * 20);
        }
        ui_label(&a->ui, when, ui_font(&a->ui, 24), 0, T->muted, UI_RIGHT | UI_MIDDLE, ago);
        ui_label(&a->ui, ui_cut_top(&row, row.h / 2 + U), ui_font(&a->ui, 30), 1, T->text, UI_LEFT,
                 a->conns[i].name);
        ui_label(&a->ui, row, ui_font(&a->ui, 24), 0, T->muted, UI_LEFT, a->conns[i].org);
    }
    bottom_labels(a, &left, &right, tr(a, S_PRINT_SUMMARY), tr(a, S_DONE));
    if (ui_button(&a->ui, "print_summary", left, tr(a, S_PRINT_SUMMARY), UI_SECONDARY,
                  a->nconns > 0)) {
        int queued = 0;
        print_job(a, "connections", NULL, a->p[0].id, NULL, &queued);
        toast(a, tr(a, queued ? S_T_PRINTING_SUMMARY : S_T_NO_PRINTER));
    }
    if (ui_button(&a->ui, "done", right, tr(a, S_DONE), UI_PRIMARY, 1)) {
        wipe(a);
        go(a, APP_ATTRACT);
    }
}

static void scr_message(struct app *a)
{
    struct ui_rect r = topbar(a, NULL), body, icon, ok;
    body = ui_inset(r, U * 6);
    icon = ui_cut_top(&body, U * 16);
    icon.x += (icon.w - icon.h) / 2;
    icon.w = icon.h;
    big_icon(a, icon, a->msg_icon, a->msg_icon[0] == '!' ? T->danger : T->accent);
    ui_cut_top(&body, U * 4);
    block(a, &body, ui_font(&a->ui, 52), 1, T->text, UI_CENTER, a->msg_title, 2);
    ui_cut_top(&body, U * 2);
    {
        struct ui_rect p = body;
        p.x += p.w / 8;
        p.w -= p.w / 4;
        block(a, &p, ui_font(&a->ui, 30), 0, T->muted, UI_CENTER, a->msg_body, 6);
        ui_cut_top(&body, p.y - body.y + U * 5);
    }
    ok = ui_cut_top(&body, btn_h(a));
    ok.x += (ok.w - bottom_w(a)) / 2;
    ok.w = bottom_w(a);
    if (ui_button(&a->ui, "ok", ok, "OK", UI_PRIMARY, 1)) {
        wipe(a);
        go(a, APP_ATTRACT);
    }
}

/* The bytes the open field holds at most, the NUL included. */
static size_t edit_cap(const struct app *a)
{
    return a->edit_size < sizeof(a->edit_text) ? a->edit_size : sizeof(a->edit_text);
}

/* Add typed text to the open field, one whole UTF-8 character at a time,
 * up to the field's limit; what does not fit is refused and the limit is
 * shown (a toast here, the counter on the editor). A one-line field takes a
 * control character (a tab or newline from a wedge or a script) as a space;
 * a note keeps newlines and tabs; other control characters become spaces
 * too, so the stored text is what the screen showed. */
static void kb_insert(struct app *a, const char *s)
{
    size_t n = strlen(a->edit_text), cap = edit_cap(a), len = strlen(s);
    size_t i = 0;
    while (i < len) {
        size_t m = utf8_seq((const unsigned char *)s + i, len - i);
        unsigned char ch = (unsigned char)s[i];
        if (m == 0) /* on_text checked; never cut inside a character anyway */
            break;
        if (n + m + 1 > cap) {
            toast(a, tr(a, S_T_TOO_LONG));
            break;
        }
        if (m == 1 && (ch < 0x20 || ch == 0x7F) &&
            (a->edit_single_line || (ch != '\n' && ch != '\t')))
            a->edit_text[n] = ' ';
        else
            memcpy(a->edit_text + n, s + i, m);
        n += m;
        i += m;
    }
    a->edit_text[n] = '\0';
}

static void kb_backspace(struct app *a)
{
    size_t n = strlen(a->edit_text);
    while (n > 0) {
        n--;
        if (((unsigned char)a->edit_text[n] & 0xC0) != 0x80)
            break;
    }
    a->edit_text[n] = '\0';
}

static void editor_close(struct app *a, int keep)
{
    if (keep && a->edit_target)
        snprintf(a->edit_target, a->edit_size, "%s", a->edit_text);
    a->edit_target = NULL;
    memset(a->edit_text, 0, sizeof(a->edit_text));
    go(a, a->edit_return);
}

static void scr_editor(struct app *a)
{
    struct ui_rect r = topbar(a, a->edit_label), box, kb;
    struct keyboard_key keys[KEYBOARD_KEYS_MAX];
    int g = keyboard_gap(U), nkeys;
    char shown[KIOSK_NOTE_MAX + 8];
    /* Keys at least a touch target high (9 mm on the 7" panel too). */
    kb = ui_cut_bottom(&r, keyboard_height(r.w, r.h, g, a->ui.target));
    ui_cut_bottom(&r, gap(a));
    box = r;
    ui_card(&a->ui, box, T->surface, U * 2);
    ui_outline(&a->ui, box, T->primary, U * 2, U / 3 > 1 ? U / 3 : 2);
    snprintf(shown, sizeof(shown), "%s|", a->edit_text);
    {
        /* How much fits, as characters: used/max, where max counts the room
         * left as one-byte characters (exact for Latin text, and it reads
         * N/N when the field is full). At the limit it says so. */
        struct ui_rect in = ui_inset(box, U * 3), status;
        size_t bytes = strlen(a->edit_text), chars = 0, room = edit_cap(a) - 1 - bytes;
        int fs = ui_font(&a->ui, 22), full = room == 0;
        char count[48], line[160];
        for (size_t i = 0; i < bytes; i++)
            chars += ((unsigned char)a->edit_text[i] & 0xC0) != 0x80;
        snprintf(count, sizeof(count), "%zu/%zu", chars, chars + room);
        if (full)
            snprintf(line, sizeof(line), "%s  %s", tr(a, S_T_TOO_LONG), count);
        else
            snprintf(line, sizeof(line), "%s", count);
        status = ui_cut_bottom(&in, fs * 3 / 2);
        ui_label(&a->ui, status, fs, full, full ? T->danger : T->muted, UI_RIGHT | UI_MIDDLE,
                 line);
        ui_paragraph(&a->ui, in, ui_font(&a->ui, 36), 0, T->text, UI_LEFT, shown);
    }
    {
        /* The layout follows the UI language; ids stay the same on every
         * layout. Cancel and done are as wide as their labels need. */
        int fs = ui_font(&a->ui, 30), side = ui_text_width(&a->ui, fs, 1, tr(a, S_CANCEL));
        if (ui_text_width(&a->ui, fs, 1, tr(a, S_DONE)) > side)
            side = ui_text_width(&a->ui, fs, 1, tr(a, S_DONE));
        nkeys = keyboard_layout(lang_codes[a->lang], (enum keyboard_layer)a->kb_layer, kb, g,
                                side + U * 3, keys, KEYBOARD_KEYS_MAX);
    }
    for (int i = 0; i < nkeys; i++) {
        const struct keyboard_key *k = &keys[i];
        const char *label = keyboard_text(k, a->kb_shift);
        enum ui_style style = UI_QUIET;
        switch (k->kind) {
        case KEYBOARD_SPACE:
            label = tr(a, S_KB_SPACE);
            break;
        case KEYBOARD_SHIFT: /* lit while on; locked shows caps lock */
            label = a->kb_shift == KEYBOARD_SHIFT_LOCK ? "\xE2\x87\xAA" : "\xE2\x87\xA7";
            style = a->kb_shift != KEYBOARD_SHIFT_OFF ? UI_PRIMARY : UI_QUIET;
            break;
        case KEYBOARD_BACK:
            label = "\xE2\x8C\xAB";
            break;
        case KEYBOARD_CANCEL:
            label = tr(a, S_CANCEL);
            style = UI_SECONDARY;
            break;
        case KEYBOARD_DONE:
            label = tr(a, S_DONE);
            style = UI_PRIMARY;
            break;
        case KEYBOARD_TO_LETTERS:
            label = "ABC";
            break;
        case KEYBOARD_TO_SYMBOLS:
            label = "?123";
            break;
        case KEYBOARD_TO_ACCENTS:
            label = a->kb_shift != KEYBOARD_SHIFT_OFF ? "\xC3\x80\xC3\x89" : "\xC3\xA0\xC3\xA9";
            break;
        case KEYBOARD_CHAR:
            break;
        }
        if (!ui_button(&a->ui, k->id, k->r, label, style, 1))
            continue;
        switch (k->kind) {
        case KEYBOARD_CHAR:
        case KEYBOARD_SPACE:
            kb_insert(a, keyboard_text(k, a->kb_shift));
            a->kb_shift = keyboard_shift_after(a->kb_shift, a->edit_text, 1);
            break;
        case KEYBOARD_SHIFT:
            a->kb_shift = keyboard_shift_tap(a->kb_shift);
            break;
        case KEYBOARD_BACK:
            kb_backspace(a);
            a->kb_shift = keyboard_shift_after(a->kb_shift, a->edit_text, 0);
            break;
        case KEYBOARD_CANCEL:
        case KEYBOARD_DONE:
            editor_close(a, k->kind == KEYBOARD_DONE);
            return;
        case KEYBOARD_TO_LETTERS:
            a->kb_layer = KEYBOARD_LETTERS;
            break;
        case KEYBOARD_TO_SYMBOLS:
            a->kb_layer = KEYBOARD_SYMBOLS;
            break;
        case KEYBOARD_TO_ACCENTS:
            a->kb_layer = KEYBOARD_ACCENTS;
            break;
        }
    }
}

static void scr_pin(struct app *a)
{
    struct ui_rect r = topbar(a, tr(a, S_P_STAFF_ONLY)), pad, dots;
    int64_t left = lockout_left(a);
    int side = (r.h - U * 20) / 5, w = side * 3 + U * 4;
    char buf[128], clock[32];
    dots = ui_cut_top(&r, U * 8);
    if (left > 0) {
        snprintf(clock, sizeof(clock), "%lld:%02lld", (long long)(left / 60000),
                 (long long)((left / 1000) % 60));
        subst(buf, sizeof(buf), tr(a, S_P_LOCKED), clock, NULL);
        ui_label(&a->ui, dots, ui_font(&a->ui, 36), 1, T->danger, UI_CENTER | UI_MIDDLE, buf);
    } else {
        size_t n = strlen(a->pin);
        int d = U * 3, total = (int)(n ? n : 1) * (d + U * 2);
        if (n == 0)
            ui_label(&a->ui, dots, ui_font(&a->ui, 32), 1, T->text, UI_CENTER | UI_MIDDLE,
                     tr(a, S_P_ENTER));
        for (size_t i = 0; i < n; i++)
            ui_fill(&a->ui,
                    (struct ui_rect){dots.x + (dots.w - total) / 2 + (int)i * (d + U * 2),
                                     dots.y + (dots.h - d) / 2, d, d},
                    T->text, d / 2);
    }
    ui_label(&a->ui, ui_cut_top(&r, U * 5), ui_font(&a->ui, 26), 0, T->muted, UI_CENTER | UI_MIDDLE,
             a->pin_msg);
    if (side < a->ui.target)
        side = a->ui.target;
    pad = (struct ui_rect){r.x + (r.w - w) / 2, r.y + U, w, side * 4 + U * 6};
    for (int i = 0; i < 12; i++) {
        static const char *const keys[12] = {"1", "2", "3", "4", "5", "6",
                                             "7", "8", "9", "\xE2\x8C\xAB", "0", "OK"};
        static const char *const ids[12] = {"pin_1", "pin_2", "pin_3",    "pin_4", "pin_5", "pin_6",
                                            "pin_7", "pin_8", "pin_9", "pin_back", "pin_0", "pin_ok"};
        struct ui_rect k = {pad.x + (i % 3) * (side + U * 2), pad.y + (i / 3) * (side + U * 2), side,
                            side};
        if (ui_button(&a->ui, ids[i], k, keys[i], i == 11 ? UI_PRIMARY : UI_QUIET, left == 0)) {
            size_t n = strlen(a->pin);
            if (i == 9) {
                if (n)
                    a->pin[n - 1] = '\0';
            } else if (i == 11) {
                pin_submit(a);
            } else if (n < PIN_MAX_DIGITS) {
                a->pin[n] = keys[i][0];
                a->pin[n + 1] = '\0';
                a->pin_msg[0] = '\0';
            }
        }
    }
    {
        struct ui_rect c = {r.x + r.w - bottom_w(a), r.y + r.h - btn_h(a), bottom_w(a), btn_h(a)};
        if (ui_button(&a->ui, "pin_cancel", c, tr(a, S_CANCEL), UI_SECONDARY, 1)) {
            memset(a->pin, 0, sizeof(a->pin));
            go(a, APP_ATTRACT);
        }
    }
}

static void stat_tile(struct app *a, struct ui_rect r, const char *label, long v)
{
    char num[32];
    int size = ui_font(&a->ui, 50), min = ui_font(&a->ui, 18);
    ui_card(&a->ui, r, T->surface, U * 2);
    r = ui_inset(r, U * 2);
    snprintf(num, sizeof(num), "%ld", v < 0 ? 0 : v);
    /* A count cut to "50..." reads as 50: shrink until all digits fit. */
    while (size > min && ui_text_width(&a->ui, size, 1, num) > r.w - U)
        size -= size / 16 > 0 ? size / 16 : 1;
    ui_label(&a->ui, ui_cut_top(&r, r.h * 6 / 10), size, 1, T->text, UI_LEFT | UI_MIDDLE, num);
    ui_label_fit(&a->ui, r, ui_font(&a->ui, 22), 0, T->muted, UI_LEFT | UI_MIDDLE, label);
}

static void scr_admin(struct app *a)
{
    struct ui_rect r = topbar(a, tr(a, S_A_TITLE)), left, right, tiles, plot;
    int bh = btn_h(a);
    /* Portrait: actions under the figures (cutting the full width off the
     * right first left the actions a zero-wide strip). */
    if (portrait(a)) {
        right = ui_cut_bottom(&r, r.h / 2);
        ui_cut_bottom(&r, gap(a) * 2);
    } else {
        right = ui_cut_right(&r, r.w * 36 / 100);
        ui_cut_right(&r, gap(a) * 2);
    }
    left = r;
    {
        long vals[5] = {a->stat_scans, a->stat_attendees, a->stat_handshakes, a->stat_leads,
                        a->stat_roster};
        const char *labels[5];
        static const enum str many[5] = {S_A_SCANS, S_A_ATTENDEES, S_A_HANDSHAKES, S_A_LEADS,
                                         S_A_ROSTER};
        static const enum str one[5] = {S_A_SCAN1, S_A_ATTENDEE1, S_A_HANDSHAKE1, S_A_LEAD1,
                                        S_A_ROSTER1};
        for (int i = 0; i < 5; i++)
            labels[i] = tr(a, singular(a, vals[i]) ? one[i] : many[i]);
        /* Five tiles in a row, or three over two when a label would be cut
         * even at the smallest size (German on the 7" panel). */
        int cols = 5, w, fs = ui_font(&a->ui, 22), least = fs * 3 / 4;
        if (least < UI_TEXT_MIN_PX)
            least = fs < UI_TEXT_MIN_PX ? fs : UI_TEXT_MIN_PX;
        for (int i = 0; i < 5; i++)
            if (ui_text_width(&a->ui, least, 0, labels[i]) > (left.w - 4 * U * 2) / 5 - U * 4)
                cols = 3;
        tiles = ui_cut_top(&left, cols == 5 ? U * 16 : U * 16 * 2 + U * 2);
        w = (tiles.w - (cols - 1) * U * 2) / cols;
        for (int i = 0; i < 5; i++)
            stat_tile(a,
                      (struct ui_rect){tiles.x + (i % cols) * (w + U * 2),
                                       tiles.y + (i / cols) * (U * 16 + U * 2), w, U * 16},
                      labels[i], vals[i]);
    }
    ui_cut_top(&left, gap(a));
    plot = left;
    ui_card(&a->ui, plot, T->surface, U * 2);
    plot = ui_inset(plot, U * 3);
    section_label(a, &plot, tr(a, S_A_PER_HOUR));
    {
        long max = 1;
        struct ui_rect axis = ui_cut_bottom(&plot, ui_font(&a->ui, 20) * 2);
        int bw = plot.w / HOURS_PLOTTED;
        for (int i = 0; i < HOURS_PLOTTED; i++)
            if (a->hourly[i] > max)
                max = a->hourly[i];
        for (int i = 0; i < HOURS_PLOTTED; i++) {
            int h = (int)((long long)(plot.h - ui_font(&a->ui, 20) * 2) * a->hourly[i] / max);
            struct ui_rect b = {plot.x + i * bw + bw / 6, plot.y + plot.h - h, bw * 2 / 3, h};
            char lbl[24];
            ui_fill(&a->ui, (struct ui_rect){b.x, plot.y, b.w, plot.h}, T->surface2, U / 2);
            ui_fill(&a->ui, b, i == HOURS_PLOTTED - 1 ? T->accent : T->primary, U / 2);
            if (a->hourly[i] > 0) {
                snprintf(lbl, sizeof(lbl), "%ld", a->hourly[i]);
                ui_label(&a->ui,
                         (struct ui_rect){b.x - bw / 6, b.y - ui_font(&a->ui, 20) * 3 / 2, bw,
                                          ui_font(&a->ui, 20) * 3 / 2},
                         ui_font(&a->ui, 20), 1, T->text, UI_CENTER, lbl);
            }
            if (i % 3 == 2 || i == HOURS_PLOTTED - 1) {
                if (i == HOURS_PLOTTED - 1)
                    snprintf(lbl, sizeof(lbl), "%s", tr(a, S_A_NOW));
                else
                    snprintf(lbl, sizeof(lbl), "-%dh", HOURS_PLOTTED - 1 - i);
                /* "now" may run into the empty axis on its left ("maint."). */
                struct ui_rect at = {plot.x + i * bw, axis.y, bw, axis.h};
                if (i == HOURS_PLOTTED - 1 &&
                    ui_text_width(&a->ui, ui_font(&a->ui, 20), 0, lbl) > bw) {
                    at.x -= bw;
                    at.w += bw;
                }
                ui_label(&a->ui, at, ui_font(&a->ui, 20), 0, T->muted,
                         (at.w > bw ? UI_RIGHT : UI_CENTER) | UI_MIDDLE, lbl);
            }
        }
    }
    /* Actions. */
    ui_card(&a->ui, right, T->surface, U * 2);
    right = ui_inset(right, U * 3);
    section_label(a, &right, tr(a, S_A_MODE));
    {
        struct ui_rect row = ui_cut_top(&right, bh), m1, m2;
        m1 = ui_cut_left(&row, (row.w - U) / 2);
        ui_cut_left(&row, U);
        m2 = row;
        if (ui_button(&a->ui, "mode_handshake", m1, tr(a, S_M_NETWORKING), a->booth ? UI_CHIP_OFF : UI_CHIP_ON,
                      1) && a->booth) {
            a->booth = 0;
            store_setting_set(a->store, "app.mode", "handshake", a->now, NULL);
            store_audit(a->store, "admin", "mode", "handshake", a->now, NULL);
            logf_(a, "admin: mode handshake");
        }
        if (ui_button(&a->ui, "mode_booth", m2, tr(a, S_M_BOOTH), a->booth ? UI_CHIP_ON : UI_CHIP_OFF, 1) &&
            !a->booth) {
            a->booth = 1;
            store_setting_set(a->store, "app.mode", "booth", a->now, NULL);
            store_audit(a->store, "admin", "mode", "booth", a->now, NULL);
            logf_(a, "admin: mode booth");
        }
    }
    ui_cut_top(&right, U * 2);
    section_label(a, &right, tr(a, S_A_DEVICES));
    {
        struct ui_rect row = ui_cut_top(&right, bh), b1, b2;
        b1 = ui_cut_left(&row, (row.w - U) / 2);
        ui_cut_left(&row, U);
        b2 = row;
        if (ui_button(&a->ui, "test_printer", b1, tr(a, S_A_TEST_PRINTER), UI_QUIET, 1)) {
            int queued = 0;
            print_job(a, "test", NULL, NULL, NULL, &queued);
            snprintf(a->admin_msg, sizeof(a->admin_msg), "%s",
                     tr(a, queued ? S_A_TEST_SENT : S_T_NO_PRINTER));
        }
        if (ui_button(&a->ui, "test_camera", b2, tr(a, S_A_TEST_CAMERA), UI_QUIET, 1)) {
            a->test_result[0] = '\0';
            a->test_reads = 0;
            go(a, APP_CAMERA_TEST);
        }
    }
    ui_cut_top(&right, U * 2);
    section_label(a, &right, tr(a, S_A_DATA));
    {
        struct ui_rect row = ui_cut_top(&right, bh), b1, b2;
        b1 = ui_cut_left(&row, (row.w - U) / 2);
        ui_cut_left(&row, U);
        b2 = row;
        if (ui_button(&a->ui, "export_usb", b1,
                      tr(a, a->exporting ? S_A_EXPORTING : S_A_EXPORT), UI_QUIET,
                      !a->exporting)) {
            struct err e = {{0}};
            if (!a->hooks.export_usb) {
                snprintf(a->admin_msg, sizeof(a->admin_msg), "%s", tr(a, S_A_EXPORT_NA));
            } else if (a->hooks.export_usb(a->hooks.ctx, a->now, &e) < 0) {
                snprintf(a->admin_msg, sizeof(a->admin_msg), "Export: %s", e.msg);
            } else {
                a->exporting = 1;
                a->export_done = a->export_total = 0;
                snprintf(a->admin_msg, sizeof(a->admin_msg), "%s", tr(a, S_A_EXPORT_STARTED));
                logf_(a, "admin: export to USB started");
            }
        }
        if (ui_button(&a->ui, "forget", b2, tr(a, S_A_FORGET), UI_QUIET, 1))
            go(a, APP_FORGET_WAIT);
    }
    ui_cut_top(&right, U * 2);
    if (a->exporting && a->export_total > 0) {
        /* Files written so far, of how many: a bar and a line under it. */
        char line[96], n1[16], n2[16];
        struct ui_rect bar = ui_cut_top(&right, U * 3), fill = bar;
        int done = a->export_done > a->export_total ? a->export_total : a->export_done;
        ui_fill(&a->ui, bar, T->surface2, U);
        fill.w = bar.w * done / a->export_total;
        if (fill.w > 0)
            ui_fill(&a->ui, fill, T->primary, U);
        snprintf(n1, sizeof(n1), "%d", done);
        snprintf(n2, sizeof(n2), "%d", a->export_total);
        subst(line, sizeof(line), tr(a, S_A_FILES), n1, n2);
        ui_label(&a->ui, ui_cut_top(&right, ui_font(&a->ui, 22) * 3 / 2), ui_font(&a->ui, 20), 0,
                 T->muted, UI_LEFT | UI_MIDDLE, line);
        ui_cut_top(&right, U);
    }
    {
        /* Exit and Close, apart: Exit only asks; the kiosk stops on a
         * second tap on the other side ("Yes, exit" where Close was), so
         * a slip or a double tap never stops it. The row is cut before
         * the message so a long message cannot squeeze it. */
        struct ui_rect row = ui_cut_bottom(&right, bh), b1, b2, ask = {0, 0, 0, 0};
        int sep = gap(a) > a->ui.target / 4 ? gap(a) : a->ui.target / 4;
        b1 = ui_cut_left(&row, (row.w - sep) / 2);
        ui_cut_left(&row, sep);
        b2 = row;
        if (a->exit_ask) {
            int fs = ui_font(&a->ui, 24);
            ui_cut_bottom(&right, U);
            ask = ui_cut_bottom(&right, right.h < fs * 13 / 10 * 3 ? right.h : fs * 13 / 10 * 3);
        }
        ui_cut_bottom(&right, U);
        if (a->admin_msg[0] && !a->exit_ask)
            block(a, &right, ui_font(&a->ui, 22), 0, T->text, UI_LEFT, a->admin_msg, 5);
        if (a->exit_ask) {
            ui_paragraph(&a->ui, ask, ui_font(&a->ui, 24), 1, T->danger, UI_LEFT,
                         tr(a, S_A_EXIT_ASK));
            if (ui_button(&a->ui, "exit_cancel", b1, tr(a, S_A_EXIT_NO), UI_SECONDARY, 1))
                a->exit_ask = 0;
            if (ui_button(&a->ui, "exit_confirm", b2, tr(a, S_A_EXIT_YES), UI_DANGER, 1)) {
                store_audit(a->store, "admin", "exit", "kiosk stopped from admin", a->now, NULL);
                logf_(a, "admin: exit");
                a->exit_ask = 0;
                a->quit = 1;
            }
            return;
        }
        if (ui_button(&a->ui, "exit_kiosk", b1, tr(a, S_A_EXIT), UI_DANGER, 1)) {
            a->exit_ask = 1;
            a->toast[0] = '\0'; /* nothing over the question */
            a->changed = 1;
        }
        if (ui_button(&a->ui, "admin_close", b2, tr(a, S_A_CLOSE), UI_PRIMARY, 1)) {
            wipe(a);
            go(a, APP_ATTRACT);
        }
    }
}

static void scr_forget_wait(struct app *a)
{
    struct ui_rect r = topbar(a, tr(a, S_F_TITLE)), cancel, dummy, cam;
    bottom_buttons(a, &r, &cancel, &dummy);
    if (portrait(a)) { /* the words above the camera, not a strip beside it */
        cam = ui_cut_bottom(&r, r.h * 55 / 100);
        ui_cut_bottom(&r, gap(a));
    } else {
        cam = ui_cut_right(&r, r.w * 45 / 100);
        ui_cut_right(&r, gap(a) * 2);
    }
    preview_panel(a, cam, badge_caption(a, S_F_HOLD));
    r = ui_inset(r, U * 2);
    block(a, &r, ui_font(&a->ui, 50), 1, T->text, UI_LEFT,
          tr(a, S_F_SCAN), 3);
    ui_cut_top(&r, U * 2);
    ui_paragraph(&a->ui, r, ui_font(&a->ui, 28), 0, T->muted, UI_LEFT,
                 tr(a, S_F_EXPLAIN));
    if (ui_button(&a->ui, "cancel", cancel, tr(a, S_BACK), UI_SECONDARY, 1))
        go(a, APP_ADMIN);
}

/* After the erasure committed: let the shell delete what it keeps per
 * print job (slip images). Logs counts only. */
static void forget_files(struct app *a, const struct store_job_ids *jobs)
{
    long deleted = 0, failed = 0;
    if (!a->hooks.forgotten_job)
        return;
    for (size_t i = 0; i < jobs->n; i++) {
        int n = a->hooks.forgotten_job(a->hooks.ctx, jobs->id[i]);
        if (n < 0)
            failed++;
        else
            deleted += n;
    }
    logf_(a, "admin: %ld slip image(s) deleted", deleted);
    if (failed)
        logf_(a, "admin: the slip images of %ld print job(s) could not be deleted; remove them "
                 "by hand", failed);
}

static void scr_forget_confirm(struct app *a)
{
    struct ui_rect r = topbar(a, tr(a, S_F_TITLE)), cancel, ok;
    struct person tmp;
    char nm[KIOSK_NAME_MAX], q[KIOSK_NAME_MAX + 64];
    bottom_buttons(a, &r, &cancel, &ok);
    memset(&tmp, 0, sizeof(tmp));
    tmp.c = a->forget_c;
    subst(q, sizeof(q), tr(a, S_F_ASK), contact_name(&a->forget_c, nm, sizeof(nm)), NULL);
    block(a, &r, ui_font(&a->ui, 44), 1, T->text, UI_LEFT, q, 2);
    ui_cut_top(&r, gap(a));
    person_card(a, ui_cut_top(&r, r.h < U * 40 ? r.h : U * 40), &tmp, 1, NULL, 0);
    if (ui_button(&a->ui, "cancel", cancel, tr(a, S_F_KEEP), UI_SECONDARY, 1)) {
        memset(&a->forget_c, 0, sizeof(a->forget_c));
        go(a, APP_ADMIN);
    }
    if (ui_button(&a->ui, "forget_confirm", ok, tr(a, S_F_ERASE), UI_DANGER, 1)) {
        struct err e = {{0}};
        struct store_job_ids jobs = {NULL, 0, 0};
        if (store_forget_jobs(a->store, a->forget_c.ref, "admin", a->now, NULL,
                              a->hooks.forgotten_job ? store_job_ids_add : NULL, &jobs, &e) < 0) {
            snprintf(a->admin_msg, sizeof(a->admin_msg), "%s%s", tr(a, S_F_ERASE_FAIL), e.msg);
        } else {
            snprintf(a->admin_msg, sizeof(a->admin_msg), "%s", tr(a, S_F_ERASED));
            logf_(a, "admin: attendee erased");
            forget_files(a, &jobs);
        }
        store_job_ids_free(&jobs);
        memset(&a->forget_c, 0, sizeof(a->forget_c));
        a->forget_id[0] = '\0';
        admin_load(a);
        go(a, APP_ADMIN);
    }
}

static void scr_camera_test(struct app *a)
{
    struct ui_rect r = topbar(a, tr(a, S_A_CAMERA_TEST)), left, done;
    bottom_buttons(a, &r, &left, &done);
    preview_panel(a, r, a->camera_ok ? tr(a, S_A_HOLD_ANY) : camera_reason(a));
    left.w = done.x - left.x - gap(a); /* the read result has the row up to Done */
    ui_label_wrap(&a->ui, left, ui_font(&a->ui, 26), 1, T->text, UI_LEFT,
                  a->test_result[0] ? a->test_result : tr(a, S_A_NO_READ));
    if (ui_button(&a->ui, "done", done, tr(a, S_DONE), UI_PRIMARY, 1))
        go(a, APP_ADMIN);
}

/* Does r overlap any widget of this frame (a button, a key, a field)? */
static int over_widget(const struct app *a, struct ui_rect r)
{
    for (int i = 0; i < a->ui.nwidgets; i++) {
        struct ui_rect w = a->ui.widgets[i].r;
        if (r.x < w.x + w.w && w.x < r.x + r.w && r.y < w.y + w.h && w.y < r.y + r.h)
            return 1;
    }
    return 0;
}

/* Milliseconds left before the idle timeout closes a screen where someone
 * is entering something (a lead, a card, a handshake, the editor over
 * them), when the countdown warning shows; -1 otherwise. It shows for the
 * last IDLE_WARN_MS (a third of a shorter timeout). */
static int64_t idle_warning(const struct app *a)
{
    enum app_screen s = a->screen == APP_EDITOR ? a->edit_return : a->screen;
    int64_t warn = a->idle_ms / 3 < IDLE_WARN_MS ? a->idle_ms / 3 : IDLE_WARN_MS;
    int64_t left = a->idle_ms - (a->now - a->last_input);
    if (s != APP_LEAD && s != APP_HANDSHAKE && s != APP_MYCARD)
        return -1;
    return left > 0 && left <= warn ? left : -1;
}

/* The countdown: the screen dimmed, a card saying what happens and when;
 * a tap anywhere (the widget idle_keep) keeps the screen and does nothing
 * else (app_event swallows it). */
static void idle_overlay(struct app *a, int64_t left)
{
    enum app_screen s = a->screen == APP_EDITOR ? a->edit_return : a->screen;
    int staff = s == APP_LEAD;
    char secs[24], line[160];
    struct ui_rect all = {0, 0, a->ui.w, a->ui.h}, card, in;
    int fs = ui_font(&a->ui, 30), fs2 = ui_font(&a->ui, 24);
    int w = a->ui.w - U * 8 < U * 120 ? a->ui.w - U * 8 : U * 120;
    int ph;
    const char *ask = tr(a, staff ? S_IDLE_LEAD : S_IDLE_ATTENDEE);
    snprintf(secs, sizeof(secs), "%lld", (long long)((left + 999) / 1000));
    int saving = staff && (lead_dirty(a) || (a->screen == APP_EDITOR && a->edit_target &&
                                             strcmp(a->edit_text, a->edit_target) != 0));
    subst(line, sizeof(line), tr(a, saving ? S_IDLE_SAVING : S_IDLE_CLOSING), secs, "");
    ph = ui_paragraph_height(&a->ui, w - U * 8, fs, 1, ask);
    card = (struct ui_rect){(a->ui.w - w) / 2, 0, w, ph + fs2 * 2 + U * 10};
    card.y = (a->ui.h - card.h) / 2;
    ui_fill(&a->ui, all, ui_rgba(0x000000, 120), 0);
    ui_card(&a->ui, card, T->surface, U * 2);
    in = ui_inset(card, U * 4);
    ui_paragraph(&a->ui, ui_cut_top(&in, ph), fs, 1, T->text, UI_CENTER, ask);
    ui_cut_top(&in, U * 2);
    ui_label_fit(&a->ui, in, fs2, 0, T->muted, UI_CENTER | UI_MIDDLE, line);
    ui_hit(&a->ui, "idle_keep", all, 1);
}

/* Does r overlap what the screen drew before command n (a card, text, a
 * picture; not the background) or a widget? */
static int over_content(const struct app *a, struct ui_rect r, int n)
{
    if (over_widget(a, r))
        return 1;
    for (int i = 0; i < n && i < a->ui.ncmds; i++) {
        struct ui_rect c = a->ui.cmds[i].r;
        if (a->ui.cmds[i].type == UI_CMD_RECT &&
            (long)c.w * c.h * 10 >= (long)a->ui.w * a->ui.h * 6)
            continue; /* the background */
        if (r.x < c.x + c.w && c.x < r.x + r.w && r.y < c.y + c.h && c.y < r.y + r.h)
            return 1;
    }
    return 0;
}

/* A clear band for the toast t (its size set): nearest its usual place,
 * centred, or at the left or right edge (a column of its own). Returns 0
 * and moves t, or -1 when the screen has none. */
static int toast_band(const struct app *a, struct ui_rect *t, int n)
{
    int y0 = t->y, g = gap(a);
    int xs[3] = {(a->ui.w - t->w) / 2, g, a->ui.w - g - t->w};
    for (int d = 0; y0 - d >= 0 || y0 + d + t->h <= a->ui.h; d += U) {
        for (int s = 0; s < 2; s++) {
            struct ui_rect c = *t;
            c.y = s ? y0 + d : y0 - d;
            if (c.y < 0 || c.y + c.h > a->ui.h || (s && d == 0))
                continue;
            for (int i = 0; i < 3; i++) {
                c.x = xs[i];
                if (!over_content(a, ui_inset(c, -U), n)) {
                    *t = c;
                    return 0;
                }
            }
        }
    }
    return -1;
}

/* Else the band between the two bottom buttons, the toast on up to two
 * lines there at a size down to two thirds of *fs. Returns 0 with t and
 * *fs set, or -1 when that band is not clear or too narrow. */
static int toast_row(const struct app *a, struct ui_rect *t, int *fs, int n)
{
    int g = gap(a), bh = btn_h(a), bw = bottom_w(a), least = *fs * 2 / 3;
    struct ui_rect band;
    if (bw > (a->ui.w - 3 * g) / 2)
        bw = (a->ui.w - 3 * g) / 2;
    band = (struct ui_rect){g * 2 + bw, a->ui.h - g - bh, a->ui.w - 4 * g - 2 * bw, bh};
    if (least < UI_TEXT_MIN_PX)
        least = UI_TEXT_MIN_PX;
    if (band.w < U * 20 || over_content(a, ui_inset(band, -U / 2), n))
        return -1;
    for (int f = *fs; f >= least; f -= f / 16 > 0 ? f / 16 : 1)
        if (ui_text_width(&a->ui, f, 1, a->toast) <= band.w - U * 4 ||
            ui_paragraph_height(&a->ui, band.w - U * 4, f, 1, a->toast) <= band.h - U) {
            *t = band;
            *fs = f;
            return 0;
        }
    return -1;
}

static void overlays(struct app *a)
{
    int64_t idle_left = idle_warning(a);
    int drawn = a->ui.ncmds; /* what the screen drew: a toast keeps clear of it */
    int64_t since = a->now - a->flash_at;
    if (a->flash_at && since >= 0 && since < FLASH_MS) {
        /* A green glow around the screen, fading: seen from the corner of
         * the eye, and cheap (a full-screen translucent fill is not). */
        int alpha = (int)(230 * (FLASH_MS - since) / FLASH_MS), t = U * 2;
        struct ui_color c = T->ok;
        c.a = (unsigned char)alpha;
        ui_fill(&a->ui, (struct ui_rect){0, 0, a->ui.w, t}, c, 0);
        ui_fill(&a->ui, (struct ui_rect){0, a->ui.h - t, a->ui.w, t}, c, 0);
        ui_fill(&a->ui, (struct ui_rect){0, t, t, a->ui.h - 2 * t}, c, 0);
        ui_fill(&a->ui, (struct ui_rect){a->ui.w - t, t, t, a->ui.h - 2 * t}, c, 0);
    }
    if (a->toast[0] && a->now - a->toast_at < TOAST_MS) {
        int fs = ui_font(&a->ui, 28);
        int w = ui_text_width(&a->ui, fs, 1, a->toast) + U * 8;
        struct ui_rect t;
        if (w > a->ui.w - U * 8)
            w = a->ui.w - U * 8;
        t = (struct ui_rect){(a->ui.w - w) / 2, a->ui.h - btn_h(a) - U * 6 - fs * 2, w, fs * 2 + U * 2};
        if (a->screen == APP_QR) {
            /* Never over a code someone is scanning: beside the Done button. */
            int room = a->ui.w - bottom_w(a) - gap(a) * 3;
            if (t.w > room)
                t.w = room;
            t.x = gap(a);
            t.y = a->ui.h - gap(a) - btn_h(a) + (btn_h(a) - t.h) / 2;
        } else if (over_content(a, ui_inset(t, -U), drawn) &&
                   (toast_band(a, &t, drawn) == 0 || toast_row(a, &t, &fs, drawn) == 0)) {
            /* In a clear band: over no card, text or picture. */
        } else if (over_widget(a, ui_inset(t, -U))) {
            /* Never over a button (a PIN key, Exit, a chip): the nearest
             * free band above its usual place, else below it; with none
             * free it stays where it was. */
            int y0 = t.y, best = -1;
            for (int d = U; best < 0 && (y0 - d >= 0 || y0 + d + t.h <= a->ui.h); d += U) {
                t.y = y0 - d;
                if (t.y >= 0 && !over_widget(a, ui_inset(t, -U)))
                    best = t.y;
                t.y = y0 + d;
                if (best < 0 && t.y + t.h <= a->ui.h && !over_widget(a, ui_inset(t, -U)))
                    best = t.y;
            }
            t.y = best >= 0 ? best : y0;
        }
        ui_fill(&a->ui, ui_inset(t, -U / 2), ui_rgba(0x000000, 40), t.h / 2 + U / 2);
        ui_fill(&a->ui, t, a->contrast ? T->primary : ui_rgba(0x152238, 240), t.h / 2);
        if (ui_text_width(&a->ui, fs, 1, a->toast) > t.w - U * 4 &&
            ui_paragraph_height(&a->ui, t.w - U * 4, fs, 1, a->toast) <= t.h - U) {
            /* Two lines (the band between the bottom buttons). */
            struct ui_rect in = ui_inset(t, U * 2);
            int ph = ui_paragraph_height(&a->ui, in.w, fs, 1, a->toast);
            in.y = t.y + (t.h - ph) / 2;
            in.h = ph;
            ui_paragraph(&a->ui, in, fs, 1, a->contrast ? T->on_primary : ui_rgba(0xFFFFFF, 255),
                         UI_CENTER, a->toast);
        } else {
            ui_label_fit(&a->ui, ui_inset(t, U * 2), fs, 1,
                         a->contrast ? T->on_primary : ui_rgba(0xFFFFFF, 255),
                         UI_CENTER | UI_MIDDLE, a->toast);
        }
    }
    if (idle_left >= 0)
        idle_overlay(a, idle_left);
}

static void build(struct app *a)
{
    apply_look(a);
    ui_begin(&a->ui);
    ui_fill(&a->ui, (struct ui_rect){0, 0, a->ui.w, a->ui.h}, T->bg, 0);
    switch (a->screen) {
    case APP_ATTRACT: scr_attract(a); break;
    case APP_MYCARD: scr_mycard(a); break;
    case APP_HANDSHAKE: scr_handshake(a); break;
    case APP_SAVED: scr_saved(a); break;
    case APP_QR: scr_qr(a); break;
    case APP_LEAD: scr_lead(a); break;
    case APP_CONN_WAIT: scr_conn_wait(a); break;
    case APP_CONNECTIONS: scr_connections(a); break;
    case APP_MESSAGE: scr_message(a); break;
    case APP_PIN: scr_pin(a); break;
    case APP_ADMIN: scr_admin(a); break;
    case APP_FORGET_WAIT: scr_forget_wait(a); break;
    case APP_FORGET_CONFIRM: scr_forget_confirm(a); break;
    case APP_CAMERA_TEST: scr_camera_test(a); break;
    case APP_EDITOR: scr_editor(a); break;
    case APP_NSCREENS: break;
    }
    overlays(a);
    ui_end(&a->ui);
}

/* One pass handles the input; if it changed the screen (or the look), build
 * again without input so the draw list shows the new state. */
static void frame(struct app *a)
{
    for (int i = 0; i < 4; i++) {
        a->changed = 0;
        build(a);
        /* A widget that fired changed state after parts of the frame were
         * drawn: draw again so the list shows the state after the tap. */
        if (!a->changed && !a->ui.fired)
            break;
    }
    if (a->ui.overflow)
        logf_(a, "ui: frame overflow on screen %s", app_screen_name(a->screen));
}

/* ---- events ---------------------------------------------------------------------- */

static void on_tick(struct app *a)
{
    /* Hidden admin gesture: a finger held in the top-left corner. */
    if (a->corner_at && a->ui.down && a->now - a->corner_at >= LONGPRESS_MS) {
        struct ui_rect corner;
        a->corner_at = 0;
        if (ui_find(&a->ui, "admin_corner", &corner) == 0 &&
            ui_contains(corner, a->ui.px, a->ui.py) && !in_admin(a) && a->screen != APP_PIN) {
            wipe(a);
            a->pin_msg[0] = '\0';
            a->ui.down = 0;
            go(a, APP_PIN);
            a->last_input = a->now;
        }
    }
    if (a->screen != APP_ATTRACT && a->now - a->last_input >= a->idle_ms) {
        /* A lead is staff's data about a visitor who handed over a badge:
         * what was entered (the note being typed too) is saved, not lost
         * while staff talk to the visitor. Attendee flows are wiped. */
        if (a->screen == APP_EDITOR && a->edit_return == APP_LEAD)
            editor_close(a, 1);
        if (a->screen == APP_LEAD && lead_dirty(a)) {
            save_lead(a);
            if (a->screen == APP_LEAD) {
                /* Not saved (toast and log say why): it stays for staff. */
                a->last_input = a->now;
                return;
            }
            logf_(a, "lead saved by idle timeout");
        }
    }
    if (a->screen != APP_ATTRACT && a->now - a->last_input >= a->idle_ms) {
        if (a->screen == APP_HANDSHAKE || a->screen == APP_MYCARD || a->screen == APP_LEAD)
            logf_(a, "%s abandoned by idle timeout (nothing shared)", app_screen_name(a->screen));
        wipe(a);
        a->toast[0] = '\0';
        go(a, APP_ATTRACT);
    }
    if (a->screen == APP_ATTRACT && a->now - a->last_input >= a->idle_ms &&
        (a->lang != a->lang0 || a->large != a->large0 || a->contrast != a->contrast0)) {
        /* The next person starts in the configured language and look. */
        a->lang_pick = 0;
        a->lang = a->lang0;
        a->large = a->large0;
        a->contrast = a->contrast0;
    }
    if (a->screen == APP_MESSAGE && a->now - a->screen_at >= MESSAGE_MS) {
        wipe(a);
        go(a, APP_ATTRACT);
    }
}

static void on_key(struct app *a, const struct event *ev)
{
    const char *k = ev->u.key.name;
    if (a->screen == APP_EDITOR) {
        if (strcmp(k, "backspace") == 0) {
            kb_backspace(a);
            a->kb_shift = keyboard_shift_after(a->kb_shift, a->edit_text, 0);
        } else if (strcmp(k, "enter") == 0 || strcmp(k, "return") == 0) {
            if (a->edit_single_line)
                editor_close(a, 1);
            else {
                kb_insert(a, "\n");
                a->kb_shift = keyboard_shift_after(a->kb_shift, a->edit_text, 1);
            }
        } else if (strcmp(k, "escape") == 0)
            editor_close(a, 0);
        return;
    }
    if (a->screen == APP_PIN) {
        size_t n = strlen(a->pin);
        if (strcmp(k, "backspace") == 0 && n)
            a->pin[n - 1] = '\0';
        else if (strcmp(k, "enter") == 0 || strcmp(k, "return") == 0)
            pin_submit(a);
        else if (strcmp(k, "escape") == 0) {
            memset(a->pin, 0, sizeof(a->pin));
            go(a, APP_ATTRACT);
        }
        return;
    }
    /* Escape leaves admin screens only; outside admin no key leaves the kiosk. */
    if (strcmp(k, "escape") == 0 && in_admin(a)) {
        wipe(a);
        go(a, APP_ATTRACT);
    }
}

static void on_text(struct app *a, const struct event *ev)
{
    /* Whatever is typed ends up in the database and on vCards: UTF-8 only. */
    if (!utf8_valid(ev->u.text.text, strnlen(ev->u.text.text, sizeof(ev->u.text.text))))
        return;
    if (a->screen == APP_EDITOR) {
        kb_insert(a, ev->u.text.text);
        a->kb_shift = keyboard_shift_after(a->kb_shift, a->edit_text, 1);
        return;
    }
    if (a->screen == APP_PIN && lockout_left(a) == 0) {
        for (const char *p = ev->u.text.text; *p; p++) {
            size_t n = strlen(a->pin);
            if (*p >= '0' && *p <= '9' && n < PIN_MAX_DIGITS) {
                a->pin[n] = *p;
                a->pin[n + 1] = '\0';
            }
        }
    }
}

void app_event(struct app *a, const struct event *ev)
{
    if (ev->now_ms > a->now)
        a->now = ev->now_ms;
    switch (ev->type) {
    case EV_TOUCH_DOWN: {
        struct ui_rect corner;
        if (idle_warning(a) >= 0) {
            /* "Tap anywhere to keep": this touch only keeps the screen. */
            a->last_input = a->now;
            a->idle_swallow = 1;
            break;
        }
        a->last_input = a->now;
        ui_input_down(&a->ui, ev->u.touch.x, ev->u.touch.y);
        a->corner_at = (ui_find(&a->ui, "admin_corner", &corner) == 0 &&
                        ui_contains(corner, ev->u.touch.x, ev->u.touch.y))
                           ? a->now
                           : 0;
        break;
    }
    case EV_TOUCH_MOVE:
        if (!a->idle_swallow)
            ui_input_move(&a->ui, ev->u.touch.x, ev->u.touch.y);
        break;
    case EV_TOUCH_UP:
        a->last_input = a->now;
        if (a->idle_swallow) {
            a->idle_swallow = 0;
            break;
        }
        a->corner_at = 0;
        ui_input_up(&a->ui, ev->u.touch.x, ev->u.touch.y);
        break;
    case EV_KEY:
        a->last_input = a->now;
        on_key(a, ev);
        break;
    case EV_TEXT:
        a->last_input = a->now;
        on_text(a, ev);
        break;
    case EV_SCAN: {
        /* A scan the screen turns away (a flow in progress, your own badge
         * again, the keyboard open) is no sign of a person at the kiosk: a
         * camera that keeps seeing passing badges must not hold someone's
         * half-finished flow on screen past the idle timeout. */
        int64_t before = a->last_input;
        a->scan_ignored = 0;
        a->last_input = a->now;
        on_scan(a, ev);
        if (a->scan_ignored)
            a->last_input = before;
        break;
    }
    case EV_TICK:
        on_tick(a);
        break;
    case EV_PRINT_DONE:
        /* "Your slip is ready" is for the person who printed: once the
         * next one has begun (or staff opened the PIN pad) it is only
         * logged. A printer problem concerns everyone. */
        if (a->print_test && a->person == a->print_person) {
            /* Admin's test slip: the answer is admin's, on the admin
             * screen (never the attendee's "take it from the printer"). */
            if (a->screen == APP_ADMIN && ev->u.print.ok)
                snprintf(a->admin_msg, sizeof(a->admin_msg), "%s", tr(a, S_A_TEST_DONE));
            else if (a->screen == APP_ADMIN)
                snprintf(a->admin_msg, sizeof(a->admin_msg), "%s%s", tr(a, S_A_TEST_FAILED),
                         ev->u.print.error[0] ? ev->u.print.error : "?");
            utf8_whole(a->admin_msg);
        } else if (!ev->u.print.ok)
            toast(a, tr(a, S_T_PRINTER_PROBLEM));
        else if (a->person == a->print_person)
            toast(a, tr(a, a->print_slips > 1 ? S_T_SLIPS_READY : S_T_SLIP_READY));
        logf_(a, "print %s", ev->u.print.ok ? "done" : "failed");
        break;
    case EV_QUIT:
        a->quit = 1;
        break;
    case EV_NONE:
        break;
    }
    frame(a);
}

/* ---- lifecycle -------------------------------------------------------------------- */

int app_new(struct app **out, struct store *s, const struct config *cfg,
            const struct app_hooks *hooks, int w, int h, const struct ui_measure *m,
            int64_t now_ms, struct err *err)
{
    struct app *a;
    char buf[PIN_HASH_TEXT_MAX];
    const char *lang;
    *out = NULL;
    a = calloc(1, sizeof(*a));
    if (!a)
        return err_set(err, "out of memory");
    a->store = s;
    a->cfg = cfg;
    if (hooks)
        a->hooks = *hooks;
    a->now = a->last_input = a->screen_at = now_ms;
    ui_init(&a->ui, w, h, m);
    themes(a);
    snprintf(a->event_name, sizeof(a->event_name), "%s", config_str(cfg, "event.name"));
    a->idle_ms = (int64_t)config_int(cfg, "ui.idle_timeout_s") * 1000;
    a->large = config_bool(cfg, "ui.large_text");
    a->contrast = config_bool(cfg, "ui.high_contrast");
    lang = config_str(cfg, "ui.language");
    for (int i = 0; i < NLANG; i++)
        if (strcmp(lang, lang_codes[i]) == 0)
            a->lang = i;
    a->lang0 = a->lang;
    a->large0 = a->large;
    a->contrast0 = a->contrast;
    a->booth = strcmp(config_str(cfg, "mode"), "booth") == 0;
    /* The admin's mode switch is kept in the database and wins over the file. */
    if (store_setting_get(s, "app.mode", buf, sizeof(buf), NULL) == 0)
        a->booth = strcmp(buf, "booth") == 0;
    a->camera_ok = 1;
    a->tz.offset_s = tzone_libc_offset;
    if (followup_policy_init(&a->policy, config_int(cfg, "followup.thank_you_h"),
                             config_int(cfg, "followup.check_in_d"),
                             config_int(cfg, "followup.window_d"),
                             config_str(cfg, "followup.quiet_start"),
                             config_str(cfg, "followup.quiet_end"), err) < 0)
        goto fail;
    if (parse_tags(a, config_str(cfg, "booth.tags"), err) < 0 ||
        parse_questions(a, config_str(cfg, "booth.questions"), err) < 0)
        goto fail;
    if (config_str(cfg, "admin.pin")[0] &&
        store_setting_get(s, "admin.pin_hash", buf, sizeof(buf), NULL) != 0) {
        char hash[PIN_HASH_TEXT_MAX];
        if (pin_hash(config_str(cfg, "admin.pin"), hash, err) < 0 ||
            store_setting_set(s, "admin.pin_hash", hash, now_ms, err) < 0)
            goto fail;
        store_audit(s, "kiosk", "pin-set", "admin PIN hash stored from configuration", now_ms,
                    NULL);
    }
    frame(a);
    *out = a;
    return 0;
fail:
    free(a);
    return -1;
}

void app_free(struct app *a)
{
    if (!a)
        return;
    memset(a, 0, sizeof(*a)); /* personal data does not linger in freed memory */
    free(a);
}

const struct ui *app_ui(const struct app *a)
{
    return &a->ui;
}

void app_resize(struct app *a, int w, int h)
{
    ui_resize(&a->ui, w, h);
    frame(a);
}

void app_export_done(struct app *a, int ok, const char *summary)
{
    a->exporting = 0;
    snprintf(a->admin_msg, sizeof(a->admin_msg), "%s%s", tr(a, ok ? S_A_EXPORT_DONE : S_A_EXPORT_FAILED),
             summary && summary[0] ? summary : (ok ? "ok" : "unknown error"));
    utf8_whole(a->admin_msg);
    logf_(a, "admin: export to USB %s", ok ? "done" : "failed");
    if (a->screen == APP_ADMIN)
        admin_load(a);
    frame(a);
}

void app_export_finished(struct app *a, long leads, long contacts, const char *where)
{
    char n1[64], n2[64], counts[160];
    size_t used;
    a->exporting = 0;
    count_words(a, leads, S_N_LEAD, S_N_LEADS, n1, sizeof(n1));
    count_words(a, contacts, S_N_CONTACT, S_N_CONTACTS, n2, sizeof(n2));
    subst(counts, sizeof(counts), tr(a, S_A_EXPORT_COUNTS), n1, n2);
    subst(a->admin_msg, sizeof(a->admin_msg), tr(a, S_A_EXPORTED), counts, where ? where : "");
    used = strlen(a->admin_msg);
    snprintf(a->admin_msg + used, sizeof(a->admin_msg) - used, " %s", tr(a, S_A_UNPLUG));
    utf8_whole(a->admin_msg);
    logf_(a, "admin: export to USB done (%ld leads, %ld contacts)", leads, contacts);
    if (a->screen == APP_ADMIN)
        admin_load(a);
    frame(a);
}

void app_export_progress(struct app *a, int done, int total)
{
    if (!a->exporting || (done == a->export_done && total == a->export_total))
        return;
    a->export_done = done;
    a->export_total = total;
    frame(a);
}

void app_set_idle_timeout(struct app *a, int64_t ms)
{
    if (ms > 0)
        a->idle_ms = ms;
}

void app_set_camera(struct app *a, enum app_camera state)
{
    switch (state) {
    case APP_CAMERA_OK:
    case APP_CAMERA_NONE:
    case APP_CAMERA_UNAVAILABLE:
    case APP_CAMERA_LOST:
        a->camera_state = state;
        break;
    default:
        a->camera_state = APP_CAMERA_UNAVAILABLE; /* an unknown code: still no picture */
        break;
    }
    a->camera_ok = a->camera_state == APP_CAMERA_OK;
    /* The shell tells this before showing the first frame (and on a
     * change): the frame it shows must already say so. */
    frame(a);
}

enum app_screen app_screen(const struct app *a)
{
    return a->screen;
}

const char *app_screen_name(enum app_screen s)
{
    static const char *const names[APP_NSCREENS] = {
        "attract", "mycard",   "handshake",   "saved",       "qr",
        "lead",    "conn-wait", "connections", "message",     "pin",
        "admin",   "forget-wait", "forget-confirm", "camera-test", "editor"};
    return (s >= 0 && s < APP_NSCREENS) ? names[s] : "?";
}

int app_words_missing(char *why, size_t size)
{
    int missing = 0;
    for (int i = 0; i < NSTR; i++)
        for (int l = 0; l < NLANG; l++) {
            if (words[i][l] && words[i][l][0])
                continue;
            if (!missing && why && size)
                snprintf(why, size, "string %d (%.60s) has no %s", i,
                         words[i][LANG_EN] ? words[i][LANG_EN] : "?", lang_codes[l]);
            missing++;
        }
    return missing;
}

const char *app_message(const struct app *a)
{
    if (a->screen == APP_MESSAGE)
        return a->msg_title;
    if (a->screen == APP_PIN)
        return a->pin_msg;
    if (a->screen == APP_ADMIN && a->admin_msg[0])
        return a->admin_msg;
    return a->toast;
}

int app_quit_requested(const struct app *a)
{
    return a->quit;
}

int app_admin_open(const struct app *a)
{
    return in_admin(a) || a->screen == APP_PIN;
}

const char *app_mode(const struct app *a)
{
    return a->booth ? "booth" : "handshake";
}
