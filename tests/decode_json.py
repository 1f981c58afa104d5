#!/usr/bin/env python3
"""`kiosk decode --json` read by Python's json module.

Badges are made with the qrencode tool (and ImageMagick for JPEG, inversion
and a blank image): one line per file, valid JSON, text equal to the
payload (UTF-8 as characters, other bytes as \\u00XX, i.e. U+00XX), format
"qr", ms a number; exit 0 with nothing decoded; exit 1 and a message naming
the file for an unreadable one (the other files are still reported).
Exit 77 (skipped) when qrencode or convert is missing.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

KIOSK = os.environ["KIOSK"]
if not shutil.which("qrencode") or not shutil.which("convert"):
    print("qrencode or convert missing")
    sys.exit(77)

fails = 0


def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAILED:", what)


tmp = tempfile.mkdtemp()
vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Quast\r\nORG:Fictional \"Labs\"\r\nEND:VCARD"
latin1 = b"TKT-42 M\xfcller \xa7"  # not UTF-8: bytes must survive as \u00XX
files = {}


def qr(name, payload, extra=None):
    png = os.path.join(tmp, name + ".png")
    subprocess.run(["qrencode", "-8", "-s", "6", "-m", "4", "-o", png],
                   input=payload, check=True)
    if extra:
        out = os.path.join(tmp, name + extra[0])
        subprocess.run(["convert", png] + extra[1] + [out], check=True)
        png = out
    files[name] = png
    return png


qr("vcard", vcard.encode("utf-8"))
qr("latin1", latin1)
qr("inverted", b"INVERTED-BADGE-7", (".png", ["-negate"]))
qr("jpeg", b"https://example.org/a/123", (".jpg", ["-quality", "85"]))
blank = os.path.join(tmp, "blank.pgm")
subprocess.run(["convert", "-size", "320x240", "xc:gray70", blank], check=True)
junk = os.path.join(tmp, "junk.png")
with open(junk, "wb") as f:
    f.write(b"not an image at all")

order = [files["vcard"], files["latin1"], files["inverted"], files["jpeg"], blank]
p = subprocess.run([KIOSK, "decode", "--json"] + order, capture_output=True)
check(p.returncode == 0, "exit 0 when everything ran (got %d)" % p.returncode)
lines = p.stdout.decode("utf-8").splitlines()
check(len(lines) == 5, "one line per file (got %d)" % len(lines))
objs = [json.loads(line) for line in lines]
check([o["file"] for o in objs] == order, "file names in order")
for o in objs:
    check(isinstance(o["ms"], (int, float)) and o["ms"] >= 0, "ms is a number")
want = [vcard, latin1.decode("latin-1"), "INVERTED-BADGE-7", "https://example.org/a/123", None]
for o, w in zip(objs, want):
    if w is None:
        check(o["codes"] == [], "blank image: no codes, still a line")
    else:
        check(len(o["codes"]) == 1 and o["codes"][0]["text"] == w,
              "%s: text %r" % (o["file"], o["codes"]))
        check(o["codes"] and o["codes"][0]["format"] == "qr", "format qr")
check("\\u00fc" in lines[1] and "\\u00a7" in lines[1], "non-UTF-8 bytes written as \\u00XX")
check("ë" in lines[0], "UTF-8 passes through as characters")

p = subprocess.run([KIOSK, "decode", "--json", junk, files["vcard"]], capture_output=True)
check(p.returncode == 1, "unreadable file: exit 1 (got %d)" % p.returncode)
check(b"junk.png" in p.stderr, "message names the file")
check(len(p.stdout.decode().splitlines()) == 1, "the readable file is still decoded")

p = subprocess.run([KIOSK, "decode", files["jpeg"]], capture_output=True)
check(p.returncode == 0 and p.stdout.decode().strip().endswith(": qr: https://example.org/a/123"),
      "plain output: FILE: qr: TEXT")
p = subprocess.run([KIOSK, "decode"], capture_output=True)
check(p.returncode == 2, "no files: usage error")

shutil.rmtree(tmp)
print("%s" % ("ok" if not fails else "%d failed" % fails))
sys.exit(1 if fails else 0)
