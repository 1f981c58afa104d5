#!/usr/bin/env python3
"""print_worker.py - printing never stalls the kiosk.

A raw ESC/POS TCP "printer" on 127.0.0.1 that has stopped taking
connections (busy with another host: its accept queue is full, so our
connect hangs until the 10 s timeout; a slip is too small to stall a
loopback send on a printer that accepts and then never reads). A headless scripted kiosk prints a handshake slip to it and
carries on with the script (more scans, screens, expects) while the job is
stuck; the run must end in a few seconds, not wait for the printer, and the
interrupted job must stay queued in the database. Then a printer that
refuses connections: the failed job is retried after its back-off without
any new job being queued.
"""
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

KIOSK = os.environ["KIOSK"]
W = tempfile.mkdtemp()
fails = 0


def check(cond, what):
    global fails
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        fails += 1


HANDSHAKE = r"""
scan BEGIN:VCARD\nVERSION:3.0\nN:Lovelace;Ada\nFN:Ada Lovelace\nEMAIL:ada@example.org\nEND:VCARD
expect mycard
scan BEGIN:VCARD\nVERSION:3.0\nN:Hopper;Grace\nFN:Grace Hopper\nEMAIL:grace@example.org\nEND:VCARD
expect handshake
tap consent_a
tap consent_b
tap save
expect saved
tap print
"""


def run(db, printer, script, timeout=60):
    path = os.path.join(W, "s.events")
    with open(path, "w") as f:
        f.write(script)
    t0 = time.monotonic()
    p = subprocess.run([KIOSK, "--db", db, "--camera", "none", "--printer", printer,
                        "--set", "ui.idle_timeout_s=300", "run", "--headless",
                        "--windowed", "800x600", "--events", path],
                       capture_output=True, text=True, timeout=timeout)
    secs = time.monotonic() - t0
    if p.returncode != 0:
        print(p.stdout + p.stderr)
    return p.returncode, p.stdout + p.stderr, secs


# 1. A printer that stalls: listen(0), never accept, two other clients fill
# the queue; a third connect gets no answer.
lsn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
lsn.bind(("127.0.0.1", 0))
lsn.listen(0)
port = lsn.getsockname()[1]
fillers = []
for _ in range(2):
    f = socket.socket()
    f.setblocking(False)
    try:
        f.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    fillers.append(f)
time.sleep(0.2)
db = os.path.join(W, "stall.db")
# After "print", the script goes on: three more seconds of screens and a new
# scan; with printing on the UI thread they wait behind the stuck send.
rc, out, secs = run(db, "escpos-tcp:127.0.0.1:%d" % port, HANDSHAKE + r"""
wait 3000
tap done
expect attract
scan BEGIN:VCARD\nVERSION:3.0\nN:Turing;Alan\nFN:Alan Turing\nEMAIL:alan@example.org\nEND:VCARD
expect mycard
wait 2000
""")
check(rc == 0, "scripted run with a stalled printer exits 0 (rc=%d)" % rc)
check(secs < 6.0, "the script did not wait for the stuck printer (%.1f s, send timeout 10 s)" % secs)
rows = sqlite3.connect(db).execute("SELECT status, attempts FROM print_jobs").fetchall()
check(len(rows) == 2 and all(r[0] == "queued" for r in rows),
      "both slips (one interrupted) stay queued in the database: %r" % rows)
check("the job stays queued" in out, "shutdown says the send was abandoned")
check(sqlite3.connect(db).execute("SELECT count(*) FROM scans").fetchone()[0] == 3,
      "the scan after the stuck print was committed")
for f in fillers:
    f.close()
lsn.close()

# 2. A printer that refuses connections. A short scripted run queues the
# slips and fails the first one (back-off 5 s); then the kiosk runs in real
# time with no script and no new job: the worker must wake when the back-off
# ends and try again.
s = socket.socket()
s.bind(("127.0.0.1", 0))
dead = s.getsockname()[1]
s.close()  # nothing listens there now
db = os.path.join(W, "retry.db")
spec = "escpos-tcp:127.0.0.1:%d" % dead
rc, out, secs = run(db, spec, HANDSHAKE + "wait 100\n")
# Under load the worker may not have tried yet when the script ends (script
# waits are virtual time): first is 0 or 1, and either way a retry shows as
# a job with one attempt more than it had, plus its own failure report.
first = sqlite3.connect(db).execute("SELECT max(attempts) FROM print_jobs").fetchone()[0] or 0
p = subprocess.Popen([KIOSK, "--db", db, "--camera", "none", "--printer", spec, "run",
                      "--headless"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
time.sleep(10)  # the 5 s back-off, plus room for a slow (ASan) start
p.terminate()
out = p.communicate(timeout=10)[0]
n = sqlite3.connect(db).execute("SELECT max(attempts) FROM print_jobs").fetchone()[0] or 0
check(p.returncode == 0, "the real-time run stops on SIGTERM with rc 0 (%s)" % p.returncode)
check(n >= 2 and n >= first + 1,
      "failed jobs are retried after their back-off without a new job (attempts %d -> %d)"
      % (first, n))
check(out.count("print failed") >= 2, "each failure reaches the app as EV_PRINT_DONE")

sys.exit(1 if fails else 0)
