#!/usr/bin/env python3
"""vCards the kiosk writes are read back by an independent parser.

Payloads with awkward text (non-ASCII, commas, semicolons, backslashes,
newlines, long lines that must fold) go through `kiosk badge --vcard` and
`--vcard4`; Debian's python3-vobject parses the output and every field is
compared with what we put in. Also checks the wire format itself: CRLF line
ends, no physical line over 75 octets, no fold inside a UTF-8 sequence.
Exit 77 (skipped) when vobject is not installed.
"""
import json
import os
import subprocess
import sys
import tempfile

try:
    import vobject
except ImportError:
    # pyenv or a venv may shadow Debian's interpreter; retry with it once.
    if os.path.exists("/usr/bin/python3") and not os.environ.get("KIOSK_VOBJECT_REEXEC"):
        os.environ["KIOSK_VOBJECT_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("python3-vobject not installed; skipping")
    sys.exit(77)

KIOSK = os.environ.get("KIOSK")
if not KIOSK:
    print("KIOSK not set")
    sys.exit(2)

LONG_NOTE = ("Talked about incremental parsing, Unicode normalisation (é vs e\u0301), "
             "and why QR codes hate long vCards; 日本語のメモも少し。 " * 3).strip()

CASES = [
    {"first_name": "Zoë", "last_name": "O'Brien; Jr., the 2nd",
     "email": "zoe@example.org", "phone": "+32 470 12 34 56",
     "company": "ACME, Inc.; R&D", "title": "Chief \\ Officer",
     "note": "first line\nsecond, with comma; and semicolon\\backslash"},
    {"name": "Łukasz Żółć", "first_name": "Łukasz", "last_name": "Żółć",
     "emails": ["lukasz@example.pl", "lz@example.com"], "phones": ["+48 600 100 200", "+48 22 1"],
     "organization": "Fundacja Ćma", "note": LONG_NOTE, "url": "https://example.pl/?a=1,2;b=3"},
    {"name": "José 😀 Nuñez", "email": "jose@example.es", "note": ("emoji 😀 at a fold? " * 6).strip()},
    {"first_name": "A", "last_name": "B", "email": "ab@example.org",
     "company": "x" * 200, "title": "ü" * 100},
]


# Badges from the corpus (other formats and charsets), and what vobject must
# read back from the vCard we write for them.
CORPUS = [
    ("vcard21_latin1.txt", {"name": "Renée François", "first_name": "Renée",
                            "last_name": "François", "email": "renee@example.fr",
                            "company": "Société Générale"}),
    ("vcard_android.txt", {"name": "Paweł Łódź", "first_name": "Paweł", "last_name": "Łódź",
                           "email": "pawel@example.pl", "company": "Firma",
                           "phones": ["+48 600 100 200", "+48 22 111 22 33"]}),
    ("mecard_escapes.txt", {"name": "Anna Smith, Jr.", "first_name": "Anna",
                            "last_name": "Smith, Jr.", "email": "anna@example.org",
                            "company": "A;B", "note": "semi;colon: colon\\ back"}),
]


def check_wire(text, label):
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n"), label + ": does not end in CRLF"
    lines = raw.split(b"\r\n")[:-1]
    for line in lines:
        assert b"\n" not in line and b"\r" not in line, label + ": bare line break"
        assert len(line) <= 75, "%s: line of %d octets" % (label, len(line))
        line.decode("utf-8")  # raises if a fold split a sequence
    assert lines[0] == b"BEGIN:VCARD" and lines[-1] == b"END:VCARD", label


def text_of(value):
    if isinstance(value, list):
        return ";".join(value)
    return value


def main():
    failures = 0
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_DATA_HOME=tmp, XDG_CONFIG_HOME=tmp, KIOSK_NO_SYSTEM_CONFIG="1")
        runs = []
        for i, case in enumerate(CASES):
            path = os.path.join(tmp, "badge%d.json" % i)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(case, f, ensure_ascii=False)
            runs.append((i, path, case))
        testdata = os.environ.get("TESTDATA", os.path.join(os.path.dirname(__file__), "data"))
        for name, case in CORPUS:
            runs.append((name, os.path.join(testdata, "badges", name), case))
        for i, path, case in runs:
            for flag in ("--vcard", "--vcard4"):
                label = "case %s %s" % (i, flag)
                out = subprocess.run([KIOSK, "badge", flag, path], env=env,
                                     capture_output=True, check=False)
                if out.returncode != 0:
                    print(label, "exit", out.returncode, out.stderr.decode())
                    failures += 1
                    continue
                text = out.stdout.decode("utf-8")
                try:
                    check_wire(text, label)
                    card = vobject.readOne(text)
                    given = case.get("first_name", "")
                    family = case.get("last_name", "")
                    name = case.get("name") or (given + " " + family).strip()
                    emails = case.get("emails") or [case["email"]]
                    phones = case.get("phones") or ([case["phone"]] if "phone" in case else [])
                    org = case.get("company") or case.get("organization")
                    assert card.fn.value == name, (card.fn.value, name)
                    assert card.n.value.family == family, (card.n.value.family, family)
                    assert card.n.value.given == given, (card.n.value.given, given)
                    got_emails = [e.value for e in card.contents.get("email", [])]
                    assert got_emails == emails, (got_emails, emails)
                    got_tels = [t.value for t in card.contents.get("tel", [])]
                    assert got_tels == phones, (got_tels, phones)
                    if org:
                        assert text_of(card.org.value) == org, (card.org.value, org)
                    if "title" in case:
                        assert card.title.value == case["title"], card.title.value
                    if "note" in case:
                        assert card.note.value == case["note"], (card.note.value, case["note"])
                    if "url" in case:
                        assert card.url.value == case["url"].replace(",", "%2C").replace(";", "%3B"), card.url.value
                    checked += 1
                except Exception as exc:  # report every case, then fail
                    print("FAIL", label, repr(exc))
                    print(text)
                    failures += 1
    print("%d passed, %d failed" % (checked, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
