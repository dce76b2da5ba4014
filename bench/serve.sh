#!/usr/bin/env bash
# webhook 2.8.0 against `hookctl serve` (release build) on 127.0.0.1, side by side with
# wrk: the servers alternate, several rounds, and the table shows medians.
#
#   bench/serve.sh [ROUNDS] [SECONDS]      (defaults: 3 rounds of 5 s per scenario)
#
# Scenarios: an unknown hook id; a JSON trigger rule that does not match; a matching
# HMAC-SHA256 over the 8 KB GitHub push payload running /bin/true asynchronously; a
# captured /bin/echo with three payload arguments; and start-up to the first answer
# with a file of 10,000 hooks. Both servers run with their default logging (webhook
# logs nothing without -verbose; hookctl writes one line per request, sent to
# /dev/null here). Needs wrk (apt-get install wrk), /usr/bin/webhook and python3.
# Not a test: it prints a Markdown table for docs/serve.md.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-5}
connections=16

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
[ -x /usr/bin/webhook ] || { echo "webhook is needed: apt-get install webhook" >&2; exit 2; }
cargo build --release --quiet
hookctl=$PWD/target/release/hookctl
dir=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

# The hook file, the request bodies and the wrk scripts.
python3 - "$dir" <<'PY'
import hashlib, hmac, json, sys
out = sys.argv[1]
raw = open("tests/fixtures/requests/github-push.http", "rb").read()
body = raw.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[1]
secret = "bench-secret-not-real"
sig = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
hooks = [
    {"id": "mismatch", "execute-command": "/bin/true",
     "trigger-rule": {"and": [
         {"match": {"type": "value", "value": "refs/heads/main",
                    "parameter": {"source": "payload", "name": "ref"}}},
         {"match": {"type": "value", "value": "push",
                    "parameter": {"source": "header", "name": "X-GitHub-Event"}}}]}},
    {"id": "hmac", "execute-command": "/bin/true", "response-message": "ok",
     "trigger-rule": {"match": {"type": "payload-hmac-sha256", "secret": secret,
                                "parameter": {"source": "header", "name": "X-Hub-Signature-256"}}}},
    {"id": "echo", "execute-command": "/bin/echo", "include-command-output-in-response": True,
     "pass-arguments-to-command": [{"source": "payload", "name": "a"},
                                   {"source": "payload", "name": "b"},
                                   {"source": "payload", "name": "c"}]},
]
json.dump(hooks, open(f"{out}/hooks.json", "w"), indent=1)
big = [{"id": f"hook-{i}", "execute-command": "/bin/true",
        "trigger-rule": {"match": {"type": "payload-hmac-sha256", "secret": secret,
                                   "parameter": {"source": "header", "name": "X-Hub-Signature-256"}}}}
       for i in range(10000)]
json.dump(big, open(f"{out}/hooks-10000.json", "w"), indent=1)

def lua(name, path, headers, payload):
    hs = "".join('wrk.headers["%s"] = "%s"\n' % (k, v) for k, v in headers.items())
    body = payload.decode("utf-8").replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    open(f"{out}/{name}.lua", "w").write(
        'wrk.method = "POST"\nwrk.path = "%s"\n%swrk.body = "%s"\n' % (path, hs, body))

lua("unknown", "/hooks/no-such-hook", {"Content-Type": "application/json"}, b'{"a":1}')
lua("mismatch", "/hooks/mismatch", {"Content-Type": "application/json",
    "X-GitHub-Event": "push"}, b'{"ref":"refs/heads/dev"}')
lua("hmac", "/hooks/hmac", {"Content-Type": "application/json", "X-GitHub-Event": "push",
    "X-Hub-Signature-256": sig}, body)
lua("echo", "/hooks/echo", {"Content-Type": "application/json"},
    b'{"a":"first","b":"second value","c":"3"}')
PY

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

start_server() { # which hooks-file
  if [ "$1" = webhook ]; then
    /usr/bin/webhook -hooks "$2" -ip 127.0.0.1 -port "$port" >/dev/null 2>&1 &
  else
    "$hookctl" serve --hooks "$2" --ip 127.0.0.1 --port "$port" >/dev/null 2>&1 &
  fi
  server_pid=$!
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  sleep 0.3
}

# Seconds from spawning the server to its first answer on `/`.
first_answer() {
  python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1]); start = time.monotonic()
while time.monotonic() - start < 60:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
            if s.recv(64).startswith(b"HTTP/1.1 200"):
                break
    except OSError:
        time.sleep(0.002)
print("%.4f" % (time.monotonic() - start))
PY
}

results=$dir/results.txt
: >"$results"
for scenario in unknown mismatch hmac echo; do
  for round in $(seq "$rounds"); do
    for server in webhook hookctl; do
      start_server "$server" "$dir/hooks.json"
      first_answer >/dev/null
      out=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$dir/$scenario.lua" \
        "http://127.0.0.1:$port" 2>&1)
      stop_server
      rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
      p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
      errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
      echo "$scenario $server $round $rps $p99 $errors" >>"$results"
      echo "$scenario round $round $server: $rps req/s, p99 $p99 $errors" >&2
    done
  done
done
# Start-up is timed from the spawn itself (a shell would add Python's own start-up).
python3 - "$port" "$rounds" "$hookctl" "$dir/hooks-10000.json" >>"$results" <<'PY'
import socket, subprocess, sys, time
port, rounds, hookctl, hooks = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
commands = {
    "webhook": ["/usr/bin/webhook", "-hooks", hooks, "-ip", "127.0.0.1", "-port", str(port)],
    "hookctl": [hookctl, "serve", "--hooks", hooks, "--ip", "127.0.0.1", "--port", str(port)],
}
for round in range(1, rounds + 1):
    for server, command in commands.items():
        start = time.monotonic()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while time.monotonic() - start < 60:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                    s.sendall(b"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
                    if s.recv(64).startswith(b"HTTP/1.1 200"):
                        break
            except OSError:
                time.sleep(0.002)
        elapsed = time.monotonic() - start
        proc.terminate()
        proc.wait()
        time.sleep(0.3)
        print("startup %s %d %.4f" % (server, round, elapsed))
        print("start-up round %d %s: %.3fs" % (round, server, elapsed), file=sys.stderr)
PY

python3 - "$results" "$rounds" "$seconds" "$connections" <<'PY'
import re, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)$", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
names = {"unknown": "unknown hook id (404)", "mismatch": "JSON rule mismatch",
         "hmac": "HMAC-SHA256 over 8 KB, async /bin/true",
         "echo": "captured /bin/echo, three arguments"}
print("| scenario | webhook req/s | hookctl req/s | ratio | webhook p99 | hookctl p99 |")
print("|---|---:|---:|---:|---:|---:|")
for key, label in names.items():
    def med(server, col, f=float):
        return statistics.median(f(r[col]) for r in rows if r[0] == key and r[1] == server)
    w, h = med("webhook", 3), med("hookctl", 3)
    wp, hp = med("webhook", 4, ms), med("hookctl", 4, ms)
    print(f"| {label} | {w:,.0f} | {h:,.0f} | {h / w:.2f}x | {wp:.2f} ms | {hp:.2f} ms |")
w = statistics.median(float(r[3]) for r in rows if r[0] == "startup" and r[1] == "webhook")
h = statistics.median(float(r[3]) for r in rows if r[0] == "startup" and r[1] == "hookctl")
print(f"| start-up to first answer, 10,000 hooks | {w * 1000:.0f} ms | {h * 1000:.0f} ms "
      f"| {w / h:.2f}x faster | | |")
print()
print(f"Medians of {sys.argv[2]} alternating rounds; wrk -t1 -c{sys.argv[4]} -d{sys.argv[3]}s.")
PY
