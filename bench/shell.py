#!/usr/bin/env python3
"""bench/shell.py: dks as a shell — host programs and pipes against bash, container stdin and
stdout streams against the docker CLI, on this machine, in one run.

Usage: python3 bench/shell.py DKS_PATH [ROUNDS]      (run by scripts/bench --only shell)
Env:   DKS_BENCH_SHELL_MB=1000 (size of the container stream tests)

Cases (median of ROUNDS; the two sides alternate within each round):
  pipe      `^seq 1 20000000 | ^wc -l`          vs  bash `seq 1 20000000 | wc -l`   (goal: within 5%)
  spawn     1,000 x `^true` in a for loop        vs  bash loop of /bin/true          (goal: <= 1.2x)
  exec out  `exec $c cat BIG | ^wc -c`            vs  `docker exec c cat BIG | wc -c` (goal: >= CLI MB/s)
  exec in   `^cat BIG | exec -i $c wc -c`         vs  `cat BIG | docker exec -i c wc -c`
Peak RSS is the largest resident set of the measured process tree's dks / docker process.
Each side's output is checked to be the same. A measurement, never a test.
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from benchlib import table

IMAGE = "dks-test/busybox:latest"
RUN_ID = uuid.uuid4().hex[:10]
NAME = f"dksbench_shell_{RUN_ID}"


def run(argv, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    t = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return t, p, rss if rss > before else None


def peak_rss(argv, env=None):
    """Runs argv under GNU time for the peak RSS of the process it starts (kB)."""
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        return int(p.stderr.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def main():
    dks = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    mb = int(os.environ.get("DKS_BENCH_SHELL_MB", "1000"))
    size = mb * 1000 * 1000
    env = dict(os.environ, DKS_ENGINE="docker")
    tmp = tempfile.mkdtemp(prefix="dks-bench-shell.")
    big = os.path.join(tmp, "big")
    loop = os.path.join(tmp, "true.dks")
    with open(loop, "w") as f:
        f.write("for $i in 0..<1000 { ^true }\n")
    with open(big, "wb") as f:
        chunk = b"\0" * (1 << 20)
        left = size
        while left > 0:
            f.write(chunk[:min(left, len(chunk))])
            left -= len(chunk)
    subprocess.run(["docker", "run", "-d", "--name", NAME, "--label", "dks.bench=1", IMAGE, "sleep", "3600"],
                   check=True, stdout=subprocess.DEVNULL)
    try:
        subprocess.run(["docker", "exec", NAME, "sh", "-c", f"head -c {size} /dev/zero > /tmp/big"], check=True)
        cases = [
            ("pipe: seq 20M | wc -l", [dks, "-c", "^seq 1 20000000 | ^wc -l"], ["bash", "-c", "seq 1 20000000 | wc -l"], None),
            ("spawn: 1,000 x true", [dks, loop], ["bash", "-c", "for i in $(seq 1 1000); do /bin/true; done"], None),
            (f"exec out: {mb} MB | wc -c", [dks, "-c", f"exec {NAME} cat /tmp/big | ^wc -c"],
             ["bash", "-c", f"docker exec {NAME} cat /tmp/big | wc -c"], mb),
            (f"exec in: {mb} MB | exec -i", [dks, "-c", f"^cat {big} | exec -i {NAME} wc -c"],
             ["bash", "-c", f"cat {big} | docker exec -i {NAME} wc -c"], mb),
        ]
        rows = []
        for title, mine, theirs, megabytes in cases:
            times = {"dks": [], "other": []}
            outs = {}
            for r in range(rounds):
                order = [("dks", mine), ("other", theirs)] if r % 2 == 0 else [("other", theirs), ("dks", mine)]
                for side, argv in order:
                    t, p, _ = run(argv, env)
                    times[side].append(t)
                    outs[side] = p.stdout.strip()
            md, mo = statistics.median(times["dks"]), statistics.median(times["other"])
            rss = peak_rss(mine, env)
            same = "yes" if outs["dks"] == outs["other"] else f"NO ({outs['dks'][:20]!r} vs {outs['other'][:20]!r})"
            if megabytes:
                rows.append([title, f"{md:.2f} s ({megabytes / md:.0f} MB/s)", f"{mo:.2f} s ({megabytes / mo:.0f} MB/s)",
                             f"{md / mo:.2f}", f"{rss / 1024:.0f} MB" if rss else "?", same])
            else:
                rows.append([title, f"{md:.3f} s", f"{mo:.3f} s", f"{md / mo:.2f}", f"{rss / 1024:.0f} MB" if rss else "?", same])
        table("shell (median)", ["case", "dks", "bash / docker CLI", "dks/other", "dks peak RSS", "same output"], rows)
    finally:
        subprocess.run(["docker", "rm", "-f", NAME], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
