#!/usr/bin/env python3
"""Capture program for the differential corpus (used as @CAPTURE@ in hook files).

webhook runs it as the hook's command. It records what it was given -- argv,
the complete environment, the working directory, what stdin is, and the
contents of pass-file-to-command temp files (webhook deletes them as soon as
the command ends, so they must be read now) -- as one JSON file in
$CAPTURE_DIR, then writes output that captured-output responses can show.

Output conventions (first argument):
  --fail     print "out1" (stdout), "err1" (stderr), "out2" (stdout), exit 1
  --exit N   print the remaining arguments one per line, exit with status N
  otherwise  print every argument after argv[0] on its own line, exit 0

stdout and stderr are flushed after every line so that their interleaving in
webhook's combined-output pipe is deterministic.
"""
import json
import os
import stat
import sys
import tempfile
import time


def temp_file_for(name, value, cwd):
    """Return the path if VALUE looks like a pass-file-to-command temp file.

    webhook creates it with ioutil.TempFile(dir, NAME): a file in the
    command's working directory (or the OS temp dir) whose base name is the
    variable name followed by random digits.
    """
    if not value or not os.path.isabs(value):
        return None
    base = os.path.basename(value)
    if not base.startswith(name) or not base[len(name):].isdigit():
        return None
    directory = os.path.dirname(value)
    if directory not in (tempfile.gettempdir(), cwd, os.path.realpath(cwd)):
        return None
    if not os.path.isfile(value):
        return None
    return value


def main():
    cwd = os.getcwd()
    files = {}
    for name, value in sorted(os.environ.items()):
        path = temp_file_for(name, value, cwd)
        if path is None:
            continue
        with open(path, "rb") as fh:
            data = fh.read()
        entry = {"path": path, "mode": "%04o" % stat.S_IMODE(os.stat(path).st_mode)}
        try:
            entry["text"] = data.decode("utf-8")
        except UnicodeDecodeError:
            import base64
            entry["base64"] = base64.b64encode(data).decode("ascii")
        files[name] = entry
    try:
        stdin = os.readlink("/proc/self/fd/0")
    except OSError:
        stdin = None
    record = {
        "argv": sys.argv,
        "env": dict(os.environ),
        "cwd": cwd,
        "stdin": stdin,
        "files": files,
    }
    out_dir = os.environ.get("CAPTURE_DIR")
    if out_dir and os.path.isdir(out_dir):
        stem = "rec-%d-%d" % (time.time_ns(), os.getpid())
        tmp = os.path.join(out_dir, stem + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(record, fh)
        os.rename(tmp, os.path.join(out_dir, stem + ".json"))

    args = sys.argv[1:]
    if args[:1] == ["--fail"]:
        for stream, text in ((sys.stdout, "out1"), (sys.stderr, "err1"), (sys.stdout, "out2")):
            stream.write(text + "\n")
            stream.flush()
        return 1
    status = 0
    if args[:1] == ["--exit"] and len(args) >= 2:
        status = int(args[1])
        args = args[2:]
    for arg in args:
        sys.stdout.write(arg + "\n")
        sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
