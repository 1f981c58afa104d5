#!/usr/bin/env python3
"""ESC/POS over the wire, print-queue faults, and what prints must scan.

Drives the real `kiosk slip` binary against printers made of sockets and
files on this machine:
  * a TCP printer on 127.0.0.1: the bytes that arrive equal the bytes the
    escpos-file backend writes for the same slip (nothing lost or mangled);
    a walker stacks the GS v 0 bands back into an image, zbarimg decodes
    its QR codes, python3-vobject parses the vCards; the job starts with
    ESC @ and ends with feed + cut;
  * faults: a printer that resets the connection mid-job, a device node
    that is not there, one whose reader goes away mid-job, a TCP port
    nobody listens on, a full disk - each time the job is
    kept with its error, and a later `kiosk slip --retry` prints it exactly
    once;
  * `kiosk slip ID` prints an interaction from the database (handshake and
    lead), `--out` renders a PNG that decodes too.
Exit 77 (skipped) when zbarimg or python3-vobject is missing.
"""
import datetime
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading

try:
    import vobject
except ImportError:
    if os.path.exists("/usr/bin/python3") and not os.environ.get("KIOSK_VOBJECT_REEXEC"):
        os.environ["KIOSK_VOBJECT_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("python3-vobject not installed; skipping")
    sys.exit(77)

KIOSK = os.environ.get("KIOSK")
if not KIOSK:
    print("KIOSK not set")
    sys.exit(2)
if not shutil.which("zbarimg"):
    print("zbarimg not installed; skipping")
    sys.exit(77)

TMP = tempfile.mkdtemp(prefix="kiosk-escpos-")
ENV = dict(os.environ, XDG_DATA_HOME=TMP + "/data", XDG_CONFIG_HOME=TMP + "/config",
           KIOSK_NO_SYSTEM_CONFIG="1", KIOSK_NOW="2026-11-26T10:40:00Z")
failures = 0


def check(cond, what):
    global failures
    if cond:
        print("ok   ", what)
    else:
        failures += 1
        print("FAIL ", what)


def kiosk(*args, db="main.db"):
    p = subprocess.run([KIOSK, "--db", os.path.join(TMP, db),
                        "--set", "event.name=Test Conf", "--set", "kiosk.id=kiosk-test", "--set", "printer.width_dots=384"]
                       + list(args), env=ENV, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


class Printer(threading.Thread):
    """A TCP 'printer': accepts connections, keeps what each one sent.
    reset_after: read that many bytes, then reset the connection (RST)."""

    def __init__(self, reset_after=None):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.jobs = []
        self.reset_after = reset_after
        self.start()

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            data = b""
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
                if self.reset_after and len(data) >= self.reset_after:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    break
            conn.close()
            self.jobs.append(data)

    def close(self):
        self.sock.close()


def walk(data):
    """Parse an ESC/POS job: list of ops and the stacked raster image."""
    ops, rows, stride, i = [], [], 0, 0
    while i < len(data):
        b = data[i]
        if data[i:i + 2] == b"\x1b@":
            ops.append("init"); i += 2
        elif data[i:i + 2] == b"\x1bd":
            ops.append("feed"); i += 3
        elif data[i:i + 2] == b"\x1ba":
            ops.append("align"); i += 3
        elif data[i:i + 2] == b"\x1dV":
            ops.append("cut"); i += 4 if data[i + 2] >= 65 else 3
        elif data[i:i + 3] == b"\x1dv0":
            xb = data[i + 4] | data[i + 5] << 8
            h = data[i + 6] | data[i + 7] << 8
            assert stride in (0, xb), "band width changed"
            stride = xb
            body = data[i + 8:i + 8 + xb * h]
            assert len(body) == xb * h, "band cut short"
            rows += [body[r * xb:(r + 1) * xb] for r in range(h)]
            ops.append("raster"); i += 8 + xb * h
        elif data[i:i + 3] == b"\x1d(k":
            n = data[i + 3] | data[i + 4] << 8
            ops.append("qr"); i += 5 + n
        else:
            raise ValueError("unknown byte 0x%02x at %d" % (b, i))
    return ops, rows, stride


def decode_rows(rows, stride, name):
    """Write the stacked bands as a PGM and let zbarimg read it."""
    path = os.path.join(TMP, name + ".pgm")
    w = stride * 8
    with open(path, "wb") as f:
        f.write(b"P5 %d %d 255\n" % (w, len(rows)))
        for r in rows:
            f.write(bytes(0 if (r[x >> 3] >> (7 - (x & 7))) & 1 else 255 for x in range(w)))
    return zbar(path)


def zbar(path):
    """vCards zbarimg reads from an image, as raw bytes (-Sbinary: no charset
    guessing), split at END:VCARD since a raw dump does not delimit codes."""
    p = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sbinary", path], capture_output=True)
    if p.returncode not in (0, 4):
        return []
    return [m.decode("utf-8") for m in
            re.findall(rb"BEGIN:VCARD\r\n.*?END:VCARD\r\n", p.stdout, re.S)]


def cards(texts):
    return [vobject.readOne(t) for t in texts]


def job_ok(data, what, ncodes):
    ops, rows, stride = walk(data)
    check(ops[0] == "init" and ops[-2:] == ["feed", "cut"] and ops.count("cut") == 1,
          what + ": ESC @ first, feed then cut last, one cut")
    check(stride == 48, what + ": 384 dots = 48 bytes per row")
    texts = decode_rows(rows, stride, what.replace(" ", "_"))
    check(len(texts) == ncodes, what + ": %d QR codes decode from the bands (got %d)"
          % (ncodes, len(texts)))
    return cards(texts)


# --- the test page over TCP equals the file backend's bytes ---------------
prn = Printer()
rc, out, err = kiosk("slip", "--test", "--printer", "escpos-tcp:127.0.0.1:%d" % prn.port)
check(rc == 0, "test page to a TCP printer: " + (out + err).strip())
fileout = os.path.join(TMP, "test.bin")
rc, out, err = kiosk("slip", "--test", "--printer", "escpos-file:" + fileout)
check(rc == 0, "test page to an ESC/POS file")
with open(fileout, "rb") as f:
    fbytes = f.read()
check(len(prn.jobs) == 1 and prn.jobs[0] == fbytes,
      "bytes arriving over TCP equal the file backend's (%d bytes)" % len(fbytes))
vc = job_ok(prn.jobs[0], "test page", 2)
check(sorted(c.fn.value for c in vc) == ["Ada Lovelace", "Jürgen Ñúñez-Østergård"],
      "test page vCards parse with the names on the slip")

# --- an interaction from the database -----------------------------------
rc, _, _ = kiosk("slip", "--queue")  # creates the database
db = sqlite3.connect(os.path.join(TMP, "main.db"))
now = 1795862400000
kid = db.execute("SELECT value FROM settings WHERE key='kiosk.id'").fetchone()[0]
for aid, ref, given, family, org, mail in [
        ("a-1", "ref-a", "Zoë", "Ångström", "Ünïcode, Inc.; R&D", "zoe@example.org"),
        ("b-1", "ref-b", "Bob", "Builder", "Builders", "bob@example.org")]:
    db.execute("INSERT INTO attendees(id, kiosk_id, ref, display_name, given_name, family_name,"
               " org, emails, source, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,'badge',?,?)",
               (aid, kid, ref, given + " " + family, given, family, org, mail, now, now))
db.execute("INSERT INTO interactions(id, kiosk_id, kind, a_id, b_id, consent_a_at, consent_b_at,"
           " created_at, updated_at) VALUES ('hs-1', ?, 'handshake', 'a-1', 'b-1', ?, ?, ?, ?)",
           (kid, now, now, now, now))
db.execute("INSERT INTO interactions(id, kiosk_id, kind, a_id, operator, consent_a_at,"
           " created_at, updated_at) VALUES ('lead-1', ?, 'lead', 'b-1', 'Jane', ?, ?, ?)",
           (kid, now, now, now))
db.execute("INSERT INTO notes(id, kiosk_id, interaction_id, author, body, created_at)"
           " VALUES ('n-1', ?, 'hs-1', 'kiosk', 'Wants the slides; follow up about the "
           "hardware pilot in Q1.', ?)", (kid, now))
db.commit()
db.close()

prn2 = Printer()
rc, out, err = kiosk("slip", "hs-1", "--printer", "escpos-tcp:127.0.0.1:%d" % prn2.port)
check(rc == 0 and len(prn2.jobs) == 1, "kiosk slip ID prints a handshake: " + (out + err).strip())
if prn2.jobs:
    vc = job_ok(prn2.jobs[0], "handshake", 2)
    names = sorted(c.fn.value for c in vc)
    check(names == ["Bob Builder", "Zoë Ångström"], "handshake vCards: %s" % names)
    zoe = [c for c in vc if c.fn.value.startswith("Zo")]
    check(zoe and zoe[0].org.value == ["Ünïcode, Inc.; R&D"] and
          zoe[0].email.value == "zoe@example.org", "org with comma/semicolon and e-mail survive")
    day = datetime.datetime.fromtimestamp(now / 1000, datetime.timezone.utc)
    check(zoe and zoe[0].note.value == "Met at Test Conf, " + day.strftime("%a %-d %b %Y"),
          "the vCard note says where and when")
rc, out, err = kiosk("slip", "lead-1", "--printer", "escpos-tcp:127.0.0.1:%d" % prn2.port)
check(rc == 0 and len(prn2.jobs) == 2, "kiosk slip ID prints a booth lead")
if len(prn2.jobs) == 2:
    vc = job_ok(prn2.jobs[1], "lead", 1)
    check(vc and vc[0].fn.value == "Bob Builder", "lead vCard is the lead's")

# --- languages: --lang, else the ui.language setting; reprints keep it -----
def zoe_note(job, what):
    vc = [c for c in job_ok(job, what, 2) if c.fn.value.startswith("Zo")]
    return vc[0].note.value if vc else None


def last_lang():
    con = sqlite3.connect(os.path.join(TMP, "main.db"))
    row = con.execute("SELECT id, lang FROM print_jobs ORDER BY rowid DESC"
                      " LIMIT 1").fetchone()
    con.close()
    return row


tcp = "escpos-tcp:127.0.0.1:%d" % prn2.port
rc, out, err = kiosk("slip", "hs-1", "--lang", "de", "--printer", tcp)
check(rc == 0 and len(prn2.jobs) == 3, "--lang de prints: " + (out + err).strip())
check(last_lang()[1] == "de", "the job is stored with its language")
if len(prn2.jobs) == 3:
    note = zoe_note(prn2.jobs[2], "German handshake")
    check(note == "Kennengelernt bei Test Conf am Sa. 28. Nov. 2026", "German vCard note: %s" % note)
rc, out, err = kiosk("slip", "--reprint", last_lang()[0], "--printer", tcp)
check(rc == 0 and len(prn2.jobs) == 4 and last_lang()[1] == "de", "a reprint keeps the language")
if len(prn2.jobs) == 4:
    check(prn2.jobs[3] == prn2.jobs[2], "the reprint is the same German slip, byte for byte")
rc, out, err = kiosk("--set", "ui.language=fr", "slip", "hs-1", "--printer", tcp)
check(rc == 0 and len(prn2.jobs) == 5 and last_lang()[1] == "fr",
      "without --lang, the kiosk's ui.language: " + (out + err).strip())
if len(prn2.jobs) == 5:
    note = zoe_note(prn2.jobs[4], "French handshake")
    check(note == "Rencontre \u00e0 Test Conf, le sam. 28 nov. 2026", "French vCard note: %s" % note)
rc, out, err = kiosk("slip", "hs-1", "--lang", "es", "--out", os.path.join(TMP, "hs-es.png"))
check(rc == 0 and len(zbar(os.path.join(TMP, "hs-es.png"))) == 2, "a Spanish PNG's codes decode")
rc, out, err = kiosk("slip", "hs-1", "--lang", "xx", "--out", os.path.join(TMP, "x.png"))
check(rc == 2 and "en, de, fr, es" in err, "an unknown --lang is a usage error: " + err.strip())
rc, out, err = kiosk("slip", "--queue", "--lang", "de")
check(rc == 2, "--lang does not go with --queue")
prn2.close()

png = os.path.join(TMP, "hs.png")
rc, out, err = kiosk("slip", "hs-1", "--out", png)
check(rc == 0 and os.path.exists(png), "--out renders a PNG: " + out.strip())
check(len(zbar(png)) == 2, "both QR codes decode from the PNG")
rc, out, err = kiosk("slip", "no-such-id", "--printer", "escpos-file:" + fileout)
check(rc == 1 and "no interaction" in err, "unknown interaction id fails with a message")
rc, out, err = kiosk("slip", "--bogus")
check(rc == 2, "unknown option is a usage error")

# --- faults ----------------------------------------------------------------
def queued(db):
    rc, out, err = kiosk("slip", "--queue", db=db)
    return out


# 1. The printer resets the connection mid-job.
bad = Printer(reset_after=20000)
rc, out, err = kiosk("slip", "--test", "--printer", "escpos-tcp:127.0.0.1:%d" % bad.port,
                     db="f1.db")
check(rc == 1 and "stays queued" in err, "reset mid-job: fails, job kept: " + err.strip())
check("bytes" in err, "reset mid-job: the error says how far it got")
q = queued("f1.db")
check("queued" in q and "attempts=1" in q and "error:" in q, "reset mid-job: queue shows the error")
good = Printer()
rc, out, err = kiosk("slip", "--retry", "--printer", "escpos-tcp:127.0.0.1:%d" % good.port,
                     db="f1.db")
check(rc == 0 and out.startswith("1 printed"), "reset mid-job: retry prints it: " + out.strip())
rc, out, err = kiosk("slip", "--retry", "--printer", "escpos-tcp:127.0.0.1:%d" % good.port,
                     db="f1.db")
check(out.startswith("0 printed") and len(good.jobs) == 1 and good.jobs[0] == fbytes,
      "reset mid-job: printed once, complete")
bad.close()

# 2. The device node is missing (printer unplugged).
rc, out, err = kiosk("slip", "--test", "--printer", "escpos:/dev/usb/lp-kiosk-missing", db="f2.db")
check(rc == 1 and "No such file" in err and "stays queued" in err,
      "missing device: fails, job kept: " + err.strip())
f2 = os.path.join(TMP, "f2.bin")
rc, out, err = kiosk("slip", "--retry", "--printer", "escpos-file:" + f2, db="f2.db")
rc2, out2, _ = kiosk("slip", "--retry", "--printer", "escpos-file:" + f2, db="f2.db")
with open(f2, "rb") as f:
    data = f.read()
check(rc == 0 and data == fbytes, "missing device: printed later, once, intact")

# 3. Nobody listens (printer off).
rc, out, err = kiosk("slip", "--test", "--printer", "escpos-tcp:127.0.0.1:1", db="f3.db")
check(rc == 1 and "refused" in err.lower(), "printer off: " + err.strip())
check("queued" in queued("f3.db"), "printer off: job kept")

# 4. A device node whose reader goes away mid-job (a FIFO standing in for a
#    printer that is unplugged while printing): EPIPE, not a dead process.
fifo = os.path.join(TMP, "lp-fifo")
os.mkfifo(fifo)
rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)


def drain_then_close():
    import select
    got = 0
    while got < 10000:
        select.select([rfd], [], [], 5)
        try:
            chunk = os.read(rfd, 4096)
        except BlockingIOError:
            continue
        if not chunk:
            break
        got += len(chunk)
    os.close(rfd)


t = threading.Thread(target=drain_then_close, daemon=True)
t.start()
rc, out, err = kiosk("slip", "--test", "--printer", "escpos:" + fifo, db="f5.db")
t.join(10)
check(rc == 1 and "Broken pipe" in err and "stays queued" in err,
      "device gone mid-job: " + err.strip())
rc, out, err = kiosk("slip", "--retry", "--printer", "escpos-file:" + os.path.join(TMP, "f5.bin"),
                     db="f5.db")
check(rc == 0 and out.startswith("1 printed"), "device gone mid-job: printed later")

# 5. Disk full on a file printer.
rc, out, err = kiosk("slip", "--test", "--printer", "escpos-file:/dev/full", db="f4.db")
check(rc == 1 and "No space" in err, "disk full: " + err.strip())

# 6. A chatty printer: after the job it keeps sending status bytes and never
#    closes. Silence is not required: the wait after sending stays bounded
#    (EOF_WAIT_MS) however much the printer talks.
class ChattyPrinter(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.got = 0
        self.start()

    def run(self):
        import time
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            self.got += len(chunk)
        end = time.monotonic() + 8
        try:
            while time.monotonic() < end:
                conn.send(b"\x12")
                time.sleep(0.02)
        except OSError:
            pass
        conn.close()


chatty = ChattyPrinter()
import time
t0 = time.monotonic()
rc, out, err = kiosk("slip", "--test", "--printer", "escpos-tcp:127.0.0.1:%d" % chatty.port,
                     db="f6.db")
took = time.monotonic() - t0
check(rc == 0 and chatty.got > 0, "chatty printer: printed (%s)" % err.strip())
check(took < 4, "chatty printer: done in %.1f s, not held until it stops talking" % took)
chatty.sock.close()

good.close()
prn.close()
shutil.rmtree(TMP, ignore_errors=True)
print("%d failed" % failures)
sys.exit(1 if failures else 0)
