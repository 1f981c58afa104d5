#!/usr/bin/env python3
"""Real consumers read what `kiosk export` writes.

Python's csv module reads our CSV (comma, semicolon, tab, BOM, raw); python3-vobject
reads our vCard 3.0/4.0 and iCalendar; json reads our JSON and its references are
checked; LibreOffice headless converts the CSV to xlsx and back (when installed).
The data is `kiosk seed --edge-cases`: formula-like cells, quotes, commas,
semicolons, line breaks, tabs, non-ASCII, emoji, a +49 number, a note at the length
limit, and two people who did not consent (who must appear nowhere). Empty exports
are read too. Exit 77 = skipped (no binary, no vobject).
"""
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zoneinfo

try:
    import vobject
except ImportError:  # pyenv's python may lack Debian's python3-vobject
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath(
            "/usr/bin/python3") and not os.environ.get("KIOSK_PY_REEXEC"):
        os.environ["KIOSK_PY_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("skipped: python3-vobject is not installed")
    sys.exit(77)

KIOSK = os.environ.get("KIOSK")
if not KIOSK or not os.access(KIOSK, os.X_OK):
    print("skipped: $KIOSK is not set")
    sys.exit(77)

FAILED = 0
PASSED = 0


def check(cond, what):
    global FAILED, PASSED
    if cond:
        PASSED += 1
    else:
        FAILED += 1
        print("FAILED:", what, file=sys.stderr)


TMP = tempfile.mkdtemp(prefix="kiosk-export-py-")
ENV = dict(os.environ, KIOSK_NO_SYSTEM_CONFIG="1", XDG_CONFIG_HOME=TMP + "/cfg",
           XDG_DATA_HOME=TMP + "/data", KIOSK_NOW="2026-11-26T15:00:00Z")
DB = TMP + "/kiosk.db"


def kiosk(*args, db=DB, ok=True):
    r = subprocess.run([KIOSK, "--db", db, "--set", "event.name=Edge Conf",
                        "--set", "event.timezone=Europe/Berlin"] + list(args),
                       env=ENV, capture_output=True, timeout=300)
    if ok and r.returncode != 0:
        print("kiosk", args, "failed:", r.stderr.decode(errors="replace"), file=sys.stderr)
        sys.exit(1)
    return r


def unguard(cell):
    """The documented inverse of the formula guard: drop one leading '."""
    return cell[1:] if cell.startswith("'") else cell


COLUMNS = ["id", "captured_at", "kiosk_id", "operator", "mode", "badge_format", "attendee_ref",
           "first_name", "last_name", "display_name", "organization", "title", "email", "phone",
           "url", "rating", "tags", "notes", "answers", "consent_scope", "consent_at",
           "consent_version", "followup_due", "followup_status", "interaction_count",
           "met_with_ref"]
FORMULA_GIVEN = '=HYPERLINK("http://evil.example","click")'
NOTE_FORMULA = 'Line one\nLine "two", with comma; and semicolon\r\nthird\tcolumn'
SECRETS = ["EDGE-SECRET", "Nonconsent", "Hidden Corp", "EDGE-HIDDEN", "Hidden", "Partner",
           "secret@example.org", "hidden@example.org"]


def read_csv(path, delimiter=","):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


def by_ref(rows):
    i = COLUMNS.index("attendee_ref")
    out = {}
    for r in rows[1:]:
        out.setdefault(r[i], []).append(dict(zip(COLUMNS, r)))
    return out


def no_secrets(path, what):
    data = open(path, "rb").read().decode("utf-8")
    for s in SECRETS:
        check(s not in data, f"{what}: '{s}' (not consented) must not be exported")


def consented_sides(db):
    con = sqlite3.connect(db)
    n = con.execute("SELECT (SELECT count(*) FROM interactions WHERE consent_a_at IS NOT NULL) + "
                    "(SELECT count(*) FROM interactions WHERE kind='handshake' AND "
                    "consent_b_at IS NOT NULL)").fetchone()[0]
    never = [r[0] for r in con.execute(
        "SELECT a.ref FROM attendees a WHERE NOT EXISTS (SELECT 1 FROM interactions i WHERE "
        "(i.a_id = a.id AND i.consent_a_at IS NOT NULL) OR (i.b_id = a.id AND "
        "i.consent_b_at IS NOT NULL))")]
    con.close()
    return n, never


def test_csv():
    kiosk("export", "--out", TMP + "/leads.csv")
    raw = open(TMP + "/leads.csv", "rb").read()
    check(raw.startswith(b"\xef\xbb\xbfid,captured_at,"), "CSV starts with a BOM and the header")
    check(raw.endswith(b"\r\n"), "CSV records end with CRLF")
    rows = read_csv(TMP + "/leads.csv")
    check(rows[0] == COLUMNS, "CSV header is the documented column list")
    check(all(len(r) == len(COLUMNS) for r in rows), "every CSV row has every column")
    n, never = consented_sides(DB)
    check(len(rows) - 1 == n, f"one row per consented side ({len(rows) - 1} vs {n})")
    refs = by_ref(rows)
    for ref in never:
        check(ref not in refs, f"{ref} never consented and must not be exported")
    no_secrets(TMP + "/leads.csv", "CSV")

    f = refs["EDGE-FORMULA"][0]
    check(f["first_name"] == "'" + FORMULA_GIVEN, "formula cell is guarded with a leading '")
    check(unguard(f["first_name"]) == FORMULA_GIVEN, "the guard is reversible")
    check(f["organization"] == "'+SUM(1,2)" and f["title"] == "'-2+3", "+ and - cells guarded")
    check(f["phone"] == "'+49 30 1234567", "+49 number guarded like any cell (decision)")
    check(unguard(f["phone"]) == "+49 30 1234567", "+49 number recovered exactly")
    check(f["notes"] == NOTE_FORMULA, "quotes, commas, semicolons, CRLF and tab in a note survive")
    check(json.loads(f["answers"]) == {"q": 'needs, "quotes"\nand lines'}, "answers are JSON")
    check(f["mode"] == "booth" and f["rating"] == "0" and f["tags"] == "hot,partner",
          "lead columns")
    check(f["captured_at"].endswith("+01:00"), "times carry the event's offset (Berlin, winter)")
    check(f["consent_scope"] == "card+followup" and f["followup_status"] in ("queued", "due"),
          "consent and follow-up columns")
    u = [r for r in refs["EDGE-UNICODE"] if r["mode"] == "booth"][0]
    check(u["first_name"] == "Zoë" and u["last_name"] == "Ångström-Łukasiewicz" and
          u["organization"] == "株式会社テスト", "non-ASCII names survive")
    check("☕🚀" in u["notes"] and len(u["notes"].encode()) > 2000, "emoji and a long note survive")
    hs = [r for r in refs["EDGE-UNICODE"] if r["mode"] == "handshake"]
    check(len(hs) == 1 and hs[0]["met_with_ref"] == "", "non-consenting partner is not named")
    a = refs["EDGE-AT"][0]
    check(a["first_name"] == "'@Handle" and a["organization"] == "'\tTabbed Org" and
          a["title"] == "'\rCarriage" and a["phone"] == "'-1", "@, tab, CR and - guarded")
    check(a["notes"] == "''already quoted" and unguard(a["notes"]) == "'already quoted",
          "a cell starting with ' gets one more, so unguarding is exact")
    q = refs["EDGE-QUOTES"][0]
    check(q["last_name"] == 'O\'Brien "The Boss"' and q["organization"] == "Smith, Jones & Co."
          and q["title"] == "CEO; Founder" and q["phone"] == "0171 5551234", "quotes and commas")

    # Semicolon and tab variants hold exactly the same cells; --no-bom drops the BOM.
    kiosk("export", "--delimiter", ";", "--no-bom", "--out", TMP + "/semi.csv")
    check(not open(TMP + "/semi.csv", "rb").read().startswith(b"\xef\xbb\xbf"), "--no-bom")
    check(read_csv(TMP + "/semi.csv", ";") == rows, "semicolon CSV reads the same")
    kiosk("export", "--delimiter", "tab", "--out", TMP + "/tab.csv")
    check(read_csv(TMP + "/tab.csv", "\t") == rows, "tab CSV reads the same")
    kiosk("export", "--csv-raw", "--out", TMP + "/raw.csv")
    raw_refs = by_ref(read_csv(TMP + "/raw.csv"))
    check(raw_refs["EDGE-FORMULA"][0]["phone"] == "+49 30 1234567" and
          raw_refs["EDGE-FORMULA"][0]["first_name"] == FORMULA_GIVEN, "--csv-raw writes exact values")
    # Filters.
    out = kiosk("export", "--mode", "booth").stdout.decode("utf-8-sig")
    booth = list(csv.reader(io.StringIO(out, newline="")))
    check(len(booth) > 1 and all(r[4] == "booth" for r in booth[1:]), "--mode booth to stdout")
    # The edge records were captured at 14:00Z = 15:00 in Berlin.
    out = kiosk("export", "--since", "2026-11-26T15:00").stdout.decode("utf-8-sig")
    recent = list(csv.reader(io.StringIO(out, newline="")))
    check(5 <= len(recent) - 1 < len(rows) - 1, f"--since keeps the recent rows ({len(recent) - 1})")
    check(all(r[1] >= "2026-11-26T15:00:00+01:00" for r in recent[1:]), "--since in local time")
    check({"EDGE-FORMULA", "EDGE-UNICODE", "EDGE-AT", "EDGE-QUOTES"} <=
          {r[6] for r in recent[1:]}, "--since keeps the edge records")
    return rows


def test_json():
    kiosk("export", "--format", "json", "--out", TMP + "/export.json")
    doc = json.load(open(TMP + "/export.json", encoding="utf-8"))
    check(doc["schema"] == "kiosk-export/1", "JSON schema tag")
    for key in ("generated_at", "kiosk_id", "event", "filter", "contacts", "interactions",
                "followups", "consent"):
        check(key in doc, f"JSON has {key}")
    check(doc["event"] == {"name": "Edge Conf", "timezone": "Europe/Berlin"}, "JSON event")
    ids = {c["id"] for c in doc["contacts"]}
    check(len(ids) == len(doc["contacts"]), "contact ids unique")
    for it in doc["interactions"]:
        check(set(it["participants"]) <= ids, "interaction participants are exported contacts")
        check(len(it["participants"]) >= 1, "every interaction has a consented participant")
    for fu in doc["followups"]:
        check(fu["contact_id"] in ids and (fu["owner_id"] is None or fu["owner_id"] in ids),
              "follow-up people are exported contacts")
        check(fu["status"] in ("queued", "due", "done", "skipped"), "no cancelled follow-ups")
    for c in doc["consent"]:
        check(c["contact_id"] in ids and c["given_at"], "consent entries refer to contacts")
    no_secrets(TMP + "/export.json", "JSON")
    f = [c for c in doc["contacts"] if c["ref"] == "EDGE-FORMULA"][0]
    check(f["given_name"] == FORMULA_GIVEN and f["phones"] == ["+49 30 1234567"],
          "JSON carries exact values (no guard)")
    edge_leads = [i for i in doc["interactions"] if f["id"] in i["participants"]]
    check(edge_leads and edge_leads[0]["lead"]["answers"] == {"q": 'needs, "quotes"\nand lines'}
          and edge_leads[0]["lead"]["tags"] == ["hot", "partner"], "lead answers and tags")
    check(edge_leads[0]["notes"][0]["body"] == NOTE_FORMULA, "note body exact")
    return doc


def test_vcard(doc):
    for version in ("3", "4"):
        path = f"{TMP}/contacts{version}.vcf"
        kiosk("export", "--format", "vcf", "--vcard", version, "--out", path)
        text = open(path, encoding="utf-8", newline="").read()
        cards = list(vobject.readComponents(text))
        check(len(cards) == len(doc["contacts"]), f"vCard {version}: one card per contact "
              f"({len(cards)} vs {len(doc['contacts'])})")
        check(all(c.version.value == version + ".0" for c in cards), f"vCard {version}: version")
        check(all(len(line.encode()) <= 75 for line in text.split("\r\n")), "vCard folded at 75")
        no_secrets(path, f"vCard {version}")
        by_fn = {c.fn.value: c for c in cards}
        z = by_fn.get("Zoë Ångström-Łukasiewicz")
        check(z is not None, f"vCard {version}: non-ASCII FN")
        if z is not None:
            check(z.org.value[0] == "株式会社テスト" if isinstance(z.org.value, list)
                  else "株式会社テスト" in z.org.value, "vCard ORG")
            check(z.note.value.startswith("Met at Edge Conf on "), "NOTE starts with the meeting")
            check("☕🚀" in z.note.value and "€éé" in z.note.value, "NOTE carries the notes")
        f = [c for c in cards if "evil" in c.email.value] if cards else []
        check(len(f) == 1 and f[0].n.value.given == FORMULA_GIVEN and
              f[0].tel.value == "+49 30 1234567", f"vCard {version}: exact hostile values")
        q = [c for c in cards if c.email.value == "sean@example.org"]
        check(len(q) == 1 and q[0].n.value.family == 'O\'Brien "The Boss"' and
              "Quoted" in q[0].note.value, f"vCard {version}: quotes")


def test_ics(doc):
    kiosk("export", "--format", "ics", "--out", TMP + "/followups.ics")
    text = open(TMP + "/followups.ics", encoding="utf-8", newline="").read()
    check(all(len(line.encode()) <= 75 for line in text.split("\r\n")), "iCalendar folded at 75")
    check(text.endswith("END:VCALENDAR\r\n"), "iCalendar ends with CRLF")
    cal = vobject.readOne(text)
    todos = cal.contents.get("vtodo", [])
    check(len(todos) == len(doc["followups"]), f"one VTODO per follow-up ({len(todos)} vs "
          f"{len(doc['followups'])})")
    uids = [t.uid.value for t in todos]
    check(len(set(uids)) == len(uids), "UIDs unique")
    for t in todos:
        for prop in ("uid", "dtstamp", "due", "summary", "description", "status"):
            check(prop in t.contents, f"VTODO has {prop}")
        check(t.due.value.tzinfo is not None and t.due.value.utcoffset().total_seconds() == 0,
              "DUE is UTC")
    no_secrets(TMP + "/followups.ics", "iCalendar")
    # A second, independent reader (python3-icalendar) sees the same calendar.
    try:
        import icalendar
    except ImportError:
        icalendar = None
        print("python3-icalendar not installed: second iCalendar reader skipped")
    if icalendar:
        ical = icalendar.Calendar.from_ical(text)
        check(not getattr(ical, "errors", []), "icalendar: no parse errors")
        by_uid = {str(t["UID"]): t for t in ical.walk("VTODO")}
        check(len(by_uid) == len(todos), "icalendar: the same VTODOs")
        for t in todos:
            it = by_uid.get(t.uid.value)
            check(it is not None and str(it["SUMMARY"]) == t.summary.value and
                  str(it["DESCRIPTION"]) == t.description.value and
                  it.decoded("DUE") == t.due.value and it.decoded("DTSTAMP") == t.dtstamp.value,
                  f"icalendar reads VTODO {t.uid.value} like vobject")
    q = [t for t in todos if "sean@example.org" in t.description.value]
    check(len(q) == 1 and q[0].summary.value == 'Thank-you: Seán O\'Brien "The Boss" '
          '(Smith, Jones & Co.)', "SUMMARY unescapes to the exact text")
    z = [t for t in todos if "Ångström" in t.summary.value]
    check(z and all("株式会社テスト" in t.description.value for t in z), "non-ASCII DESCRIPTION")
    # Quiet hours (20:00-08:00 Berlin): nothing falls due in them.
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    for t in todos:
        h = t.due.value.astimezone(berlin).hour
        check(8 <= h < 20, "no due time in quiet hours (20:00-08:00 Berlin)")


def test_empty():
    db = TMP + "/empty.db"
    kiosk("followups", "list", db=db)
    out = kiosk("export", db=db).stdout
    check(out == b"\xef\xbb\xbf" + ",".join(COLUMNS).encode() + b"\r\n", "empty CSV: header only")
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig"), newline="")))
    check(rows == [COLUMNS], "empty CSV reads as the header")
    doc = json.loads(kiosk("export", "--format", "json", db=db).stdout)
    check(all(doc[k] == [] for k in ("contacts", "interactions", "followups", "consent")),
          "empty JSON has empty sections")
    vcf = kiosk("export", "--format", "vcf", db=db).stdout.decode()
    check(list(vobject.readComponents(vcf)) == [], "empty vCard file")
    cal = vobject.readOne(kiosk("export", "--format", "ics", db=db).stdout.decode())
    check(cal.contents.get("vtodo", []) == [], "empty calendar")


def test_libreoffice(rows):
    soffice = shutil.which("soffice")
    if not soffice:
        print("LibreOffice not installed: CSV -> xlsx -> CSV round trip skipped")
        return
    work = TMP + "/lo"
    os.makedirs(work + "/back")
    shutil.copy(TMP + "/leads.csv", work + "/leads.csv")
    prof = "-env:UserInstallation=file://" + work + "/profile"
    try:
        subprocess.run([soffice, prof, "--headless", "--infilter=CSV:44,34,76,1", "--convert-to",
                        "xlsx", "--outdir", work, work + "/leads.csv"], env=ENV,
                       capture_output=True, timeout=240, check=True)
        subprocess.run([soffice, prof, "--headless", "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", work + "/back",
                        work + "/leads.xlsx"], env=ENV, capture_output=True, timeout=240,
                       check=True)
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as e:
        check(False, f"LibreOffice conversion failed: {e}")
        return
    back = read_csv(work + "/back/leads.csv")
    check(len(back) == len(rows), "LibreOffice keeps every row")

    def norm(cell):  # Calc stores line breaks in a cell as LF
        return cell.replace("\r\n", "\n").replace("\r", "\n")
    same = all([norm(c) for c in a] == [norm(c) for c in b] for a, b in zip(rows, back))
    check(same, "every cell survives CSV -> xlsx -> CSV (formulas stay text, +49 stays text)")
    f = by_ref(back)["EDGE-FORMULA"][0]
    check(f["first_name"] == "'" + FORMULA_GIVEN and f["phone"] == "'+49 30 1234567",
          "Calc did not evaluate the guarded cells")


def main():
    kiosk("seed", "60", "--edge-cases", "--seed", "3")
    rows = test_csv()
    doc = test_json()
    test_vcard(doc)
    test_ics(doc)
    test_empty()
    test_libreoffice(rows)
    con = sqlite3.connect(DB)
    n = con.execute("SELECT count(*) FROM audit_log WHERE action = 'export' AND detail NOT LIKE "
                    "'%@%'").fetchone()[0]
    con.close()
    check(n >= 10, f"each export is in the audit log, without personal data ({n})")
    shutil.rmtree(TMP, ignore_errors=True)
    print(f"{PASSED} passed, {FAILED} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
