#!/usr/bin/env python3
"""Record (or check) how webhook 2.8.0 renders the templates in cases.json.

    record.py            run every case through `webhook -template`, write golden.json
    record.py --check    run them again and compare with the committed golden.json;
                         exit 1 on any difference

Each case becomes one hooks file, rendered by a webhook process of its own on
127.0.0.1 (never another address). A case whose file loads is observed through the
hook's response: its `response-message` is the rendered text. A case whose file does
not load is observed through the `couldn't load hooks from file!` log line.

Python 3 standard library only. WEBHOOK_BIN overrides /usr/bin/webhook.
"""
import argparse
import base64
import concurrent.futures
import difflib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases.json")
GOLDEN = os.path.join(HERE, "golden.json")
WEBHOOK = os.environ.get("WEBHOOK_BIN", "/usr/bin/webhook")
HOST = "127.0.0.1"
STARTUP_TIMEOUT = 20.0
LOAD_ERROR = re.compile(r"couldn't load hooks from file! (.*)$")
LOG_PREFIX = re.compile(r"^\[webhook\] \d{4}/\d\d/\d\d \d\d:\d\d:\d\d ")


def hooks_text(case):
    """The hooks file of a case: its `file`, or its `template` as a response message."""
    if "file" in case:
        return case["file"].replace("@ID@", case["name"])
    return ("- id: %s\n  execute-command: /bin/true\n  response-message: |2+\n    %s\n"
            % (case["name"], case["template"]))


def environment(case):
    env = {b"PATH": b"/usr/bin:/bin", b"HOME": b"/tmp", b"LANG": b"C.UTF-8"}
    for name, value in case.get("env", {}).items():
        env[name.encode()] = value.encode()
    for name, value in case.get("env_hex", {}).items():
        env[name.encode()] = bytes.fromhex(value)
    return env


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def text_or_base64(data):
    try:
        return {"body": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(data).decode()}


def run_case(case):
    """What webhook did with one case: {"loaded": ..., "body"/"error": ...}."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "hooks.json.tmpl")
        with open(path, "wb") as f:
            f.write(hooks_text(case).encode("utf-8"))
        port = free_port()
        argv = [WEBHOOK, "-template", "-hooks", path, "-ip", HOST, "-port", str(port), "-verbose"]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=environment(case), cwd="/")
        try:
            return observe(proc, port, case["name"])
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def observe(proc, port, name):
    deadline = time.monotonic() + STARTUP_TIMEOUT
    error = None
    while time.monotonic() < deadline:
        raw = proc.stdout.readline()
        if not raw:
            return {"loaded": False, "error": error or "webhook exited", "exit": proc.wait()}
        line = LOG_PREFIX.sub("", raw.decode("utf-8", "replace").rstrip("\n"))
        found = LOAD_ERROR.search(line)
        if found:
            error = found.group(1)
        if line.startswith("serving hooks on"):
            break
    else:
        return {"loaded": False, "error": "webhook did not start in time"}
    if error is not None:
        return {"loaded": False, "error": error}
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("POST", "/hooks/" + name, body=b"", headers={"Content-Type": "text/plain"})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    result = {"loaded": True, "status": response.status}
    result.update(text_or_base64(data))
    return result


def record_all(cases, jobs):
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(run_case, cases))
    return {case["name"]: result for case, result in zip(cases, results)}


def dump(golden):
    return json.dumps(golden, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="compare with golden.json instead of writing it")
    parser.add_argument("-j", "--jobs", type=int, default=4, help="cases run at once")
    args = parser.parse_args()

    with open(CASES, encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    names = [c["name"] for c in cases]
    if len(set(names)) != len(names):
        sys.exit("cases.json: case names must be unique")

    fresh = record_all(cases, args.jobs)
    if not args.check:
        with open(GOLDEN, "w", encoding="utf-8") as f:
            f.write(dump(fresh))
        loaded = sum(1 for r in fresh.values() if r["loaded"])
        print("recorded %d cases (%d loaded, %d failed to load)"
              % (len(fresh), loaded, len(fresh) - loaded))
        return 0

    with open(GOLDEN, encoding="utf-8") as f:
        golden = json.load(f)
    passed = failed = 0
    for name in names:
        want = dump(golden.get(name))
        got = dump(fresh[name])
        if want == got:
            passed += 1
            continue
        failed += 1
        print("--- %s differs from golden.json" % name)
        sys.stdout.writelines(difflib.unified_diff(
            want.splitlines(True), got.splitlines(True), "golden", "webhook"))
    stale = sorted(set(golden) - set(names))
    for name in stale:
        failed += 1
        print("--- %s is in golden.json but not in cases.json" % name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
