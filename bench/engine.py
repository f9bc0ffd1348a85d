#!/usr/bin/env python3
"""bench/engine.py: dks against the docker CLI and docker-py on the same daemon.

Usage: python3 bench/engine.py DKS_PATH [ROUNDS]      (run by scripts/bench)
Env:   DKS_BENCH_GROUPS=exec,status,run,logs,stream,parallel (default: all)
       DKS_BENCH_LOG_MB=100 (size of the logs group's container output)
       DKS_BENCH_STREAM_MB=500, DKS_BENCH_RUN_MB=100 (sizes of the stream group's exec and run outputs)

Groups (median of ROUNDS; the tools alternate within each round, order rotated):
  exec      N=20 `exec $c true` in one dks process / 20 `docker exec` processes / 20 exec_run
  status    200 `$c.status` reads / 200 `reload(); status` / 20 `docker inspect -f` processes
  run       `run --rm IMAGE true` (dks in-process and one process per run) / `docker run --rm` / containers.run
  logs      a container that printed 100 MB: dks capture and statement-level streaming,
            `docker logs > /dev/null`, docker-py logs() and logs(stream=True); s, MB/s, peak RSS
  stream    statement-level `exec $c cat /big` (500 MiB) and `run IMAGE head -c 100 MiB /dev/zero` vs
            `docker exec` / `docker run` and exec_run(stream=True); s, MiB/s, peak RSS, same bytes
  parallel  20 x (run -d sleep 1; wait; rm) with parallel(jobs: 20) vs a sequential bash loop

Times of dks and docker-py are taken inside the process (start-up and connection excluded, it
is the per-operation cost); each docker CLI operation is a process, as a shell script pays it.
Every container carries the labels dks.bench=1 and dks.bench.run=<this run>, and all of them are
removed at the end, also on error or SIGINT/SIGTERM. A measurement, never a test.
"""
import atexit
import hashlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import docker
from benchlib import rounds_of, table

IMAGE = "dks-test/busybox:latest"
SOCK = "unix:///var/run/docker.sock"
RUN_ID = uuid.uuid4().hex[:10]
PREFIX = f"dksbench_{RUN_ID}_"
LABELS = {"dks.bench": "1", "dks.bench.run": RUN_ID}
DKS_L = f"-l dks.bench=1 -l dks.bench.run={RUN_ID}"
CLI_L = ["--label", "dks.bench=1", "--label", f"dks.bench.run={RUN_ID}"]
TIMEOUT = 180

ENV = dict(os.environ)
ENV["DOCKER_HOST"] = SOCK
ENV.pop("DOCKER_CONTEXT", None)
ENV["DKS_ENGINE"] = "docker"

client = None
failures = []


# ---------------------------------------------------------------- helpers

def cleanup():
    global client
    try:
        c = client or docker.DockerClient(base_url=SOCK)
        for ct in c.containers.list(all=True, filters={"label": f"dks.bench.run={RUN_ID}"}):
            try:
                ct.remove(force=True)
            except docker.errors.NotFound:
                pass
            except Exception as e:  # noqa: BLE001
                print(f"cleanup: {ct.name}: {e}", file=sys.stderr)
    except Exception as e:  # noqa: BLE001
        print(f"cleanup failed: {e}", file=sys.stderr)


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"  CHECK FAILED: {what}", file=sys.stderr)
    return cond


def sh(argv, **kw):
    """Runs argv; returns (seconds, CompletedProcess)."""
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    t0 = time.perf_counter()
    p = subprocess.run(argv, env=ENV, timeout=TIMEOUT, **kw)
    return time.perf_counter() - t0, p


def dks_run(dks, code):
    """Runs a dks program; returns (wall seconds, stdout lines). Raises on failure."""
    t, p = sh([dks, "--engine", "docker", "--host", SOCK, "-c", code])
    if p.returncode != 0:
        raise RuntimeError(f"dks failed ({p.returncode}): {p.stderr.decode(errors='replace')[-800:]}\n{code}")
    return t, p.stdout.decode().split("\n")


def measured(argv, stdout=subprocess.DEVNULL):
    """Runs argv under /usr/bin/time; returns (seconds, exit code, peak RSS in MB, output). stdout: DEVNULL,
    PIPE (output: the bytes) or "hash" (output: (length, sha256) of what it printed, read in 1 MB chunks)."""
    fd, tf = tempfile.mkstemp(prefix="dksbench_rss_")
    os.close(fd)
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", tf, *argv], env=ENV,
                             stdout=subprocess.PIPE if stdout == "hash" else stdout, stderr=subprocess.PIPE)
        out = None
        if stdout == "hash":
            h, n = hashlib.sha256(), 0
            while chunk := p.stdout.read(1 << 20):
                h.update(chunk)
                n += len(chunk)
            out = (n, h.hexdigest())
        elif stdout == subprocess.PIPE:
            out = p.stdout.read()
        err = p.stderr.read()
        p.wait(timeout=TIMEOUT)
        t = time.perf_counter() - t0
        with open(tf) as f:
            peak = int(f.read().split()[-1]) / 1024.0
    finally:
        os.unlink(tf)
    if p.returncode != 0:
        print(f"  {argv[0]} exited {p.returncode}: {err.decode(errors='replace')[-400:]}", file=sys.stderr)
    return t, p.returncode, peak, out


def measured_round(group, v, argv, out, want, size, digests, rss):
    """One round of a streaming variant: it must exit 0; a hashed run (out == "hash") must print
    `want` bytes and its digest is kept for comparing variants; a counting one must report
    `size`. Records the peak RSS and returns the time."""
    t, rc, peak, data = measured(argv, stdout=out)
    check(rc == 0, f"{group}: {v} exit {rc}")
    if out == "hash":
        digests[v] = data
        check(data[0] == want, f"{group}: {v} printed {data[0]} bytes, want {want}")
    elif data is not None:
        check(data.strip() == str(size).encode(), f"{group}: {v} counted {data.strip()[:40]!r}, want {size}")
    rss[v].append(peak)
    return t


def med(xs):
    return statistics.median(xs)


def ms(x):
    return f"{x * 1000:.2f}" if x < 0.01 else f"{x * 1000:.1f}"


def per_op_table(title, res, order, dks_key, cli_key, py_key, notes):
    d = med(res[dks_key])
    rows = []
    for v in order:
        m = med(res[v])
        rows.append([v, ms(m), ms(min(res[v])), f"{d / m:.2f}", notes.get(v, "")])
    table(title, ["tool", "median ms/op", "min ms/op", "dks/this", "how"], rows)
    return d, d / med(res[cli_key]), d / med(res[py_key])


def start_sleeper(name):
    return client.containers.run(IMAGE, ["sleep", "600"], name=name, detach=True, labels=LABELS)


# ---------------------------------------------------------------- groups

def g_exec(dks, rounds):
    n = 20
    c = start_sleeper(PREFIX + "exec")
    code = (f'$c = get {c.name}\n$ok = 0\n$t0 = now()\n'
            f'for $i in range(0, {n}) {{ $r = exec $c true; if $r.exit_code == 0 {{ $ok += 1 }} }}\n'
            f'$t = now() - $t0\necho $ok $t')

    def one(v, _r):
        if v == "dks":
            _, out = dks_run(dks, code)
            ok, t = out[0].split()
            check(int(ok) == n, f"exec: dks {ok}/{n} exit 0")
            return float(t) / n
        if v == "docker-cli":
            tot, ok = 0.0, 0
            for _ in range(n):
                t, p = sh(["docker", "exec", c.name, "true"])
                tot += t
                ok += p.returncode == 0
            check(ok == n, f"exec: docker {ok}/{n} exit 0")
            return tot / n
        t0 = time.perf_counter()
        codes = [c.exec_run("true").exit_code for _ in range(n)]
        t = time.perf_counter() - t0
        check(codes == [0] * n, f"exec: docker-py codes {codes}")
        return t / n

    order = ["dks", "docker-cli", "docker-py"]
    res = rounds_of(order, rounds, one)
    d, rc, rp = per_op_table(f"exec round trip: {n} x `exec C true` (ms per exec)", res, order, "dks", "docker-cli",
                             "docker-py", {"dks": "one process, timed inside",
                                           "docker-cli": f"{n} processes", "docker-py": "one process, exec_run"})
    print(f"summary exec: dks {ms(d)} ms/exec; dks/docker-cli {rc:.2f}, dks/docker-py {rp:.2f}")
    c.remove(force=True)


def g_status(dks, rounds):
    n, ncli = 200, 20
    c = start_sleeper(PREFIX + "status")
    code = (f'$c = get {c.name}\n$ok = 0\n$t0 = now()\n'
            f'for $i in range(0, {n}) {{ if $c.status == "running" {{ $ok += 1 }} }}\n'
            f'$t = now() - $t0\necho $ok $t')

    def one(v, _r):
        if v == "dks":
            _, out = dks_run(dks, code)
            ok, t = out[0].split()
            check(int(ok) == n, f"status: dks {ok}/{n} running")
            return float(t) / n
        if v == "docker-cli":
            tot, ok = 0.0, 0
            for _ in range(ncli):
                t, p = sh(["docker", "inspect", "-f", "{{.State.Status}}", c.name])
                tot += t
                ok += p.stdout.strip() == b"running"
            check(ok == ncli, f"status: docker inspect {ok}/{ncli} running")
            return tot / ncli
        t0 = time.perf_counter()
        ok = 0
        for _ in range(n):
            c.reload()
            ok += c.status == "running"
        t = time.perf_counter() - t0
        check(ok == n, f"status: docker-py {ok}/{n} running")
        return t / n

    order = ["dks", "docker-cli", "docker-py"]
    res = rounds_of(order, rounds, one)
    d, rc, rp = per_op_table("live status read (ms per read)", res, order, "dks", "docker-cli", "docker-py",
                             {"dks": f"{n} x $c.status, one process", "docker-cli": f"{ncli} x docker inspect -f",
                              "docker-py": f"{n} x reload(); status"})
    print(f"summary status: dks {ms(d)} ms/read (goal < 1 ms: {'MET' if d < 0.001 else 'NOT MET'}); "
          f"dks/docker-cli {rc:.3f}, dks/docker-py {rp:.2f}")
    c.remove(force=True)


def g_run(dks, rounds):
    k = 4
    code = (f'$ok = 0\n$t0 = now()\n'
            f'for $i in range(0, {k}) {{ $r = run --rm {DKS_L} {IMAGE} true; if $r.exit_code == 0 {{ $ok += 1 }} }}\n'
            f'$t = now() - $t0\necho $ok $t')

    def one(v, _r):
        if v == "dks":
            _, out = dks_run(dks, code)
            ok, t = out[0].split()
            check(int(ok) == k, f"run: dks {ok}/{k} exit 0")
            return float(t) / k
        if v == "dks (process/run)":
            tot = 0.0
            for _ in range(k):
                t, _out = dks_run(dks, f"run --rm {DKS_L} {IMAGE} true")
                tot += t
            return tot / k
        if v == "docker-cli":
            tot, ok = 0.0, 0
            for _ in range(k):
                t, p = sh(["docker", "run", "--rm", *CLI_L, IMAGE, "true"])
                tot += t
                ok += p.returncode == 0
            check(ok == k, f"run: docker {ok}/{k} exit 0")
            return tot / k
        t0 = time.perf_counter()
        outs = [client.containers.run(IMAGE, "true", remove=True, labels=LABELS) for _ in range(k)]
        t = time.perf_counter() - t0
        check(outs == [b""] * k, f"run: docker-py outputs {outs}")
        return t / k

    order = ["dks", "dks (process/run)", "docker-cli", "docker-py"]
    res = rounds_of(order, rounds, one)
    left = client.containers.list(all=True, filters={"label": f"dks.bench.run={RUN_ID}"})
    check(not left, f"run: --rm left {len(left)} containers")
    d, rc, rp = per_op_table(f"run --rm {IMAGE} true (ms per run, {k} runs per round)", res, order, "dks",
                             "docker-cli", "docker-py",
                             {"dks": "one process, captured", "dks (process/run)": "dks -c per run",
                              "docker-cli": "a process per run", "docker-py": "containers.run(remove=True)"})
    pr = med(res["dks (process/run)"]) / med(res["docker-cli"])
    print(f"summary run: dks {ms(d)} ms/run; dks/docker-cli {rc:.2f} (process per run: {pr:.2f}), "
          f"dks/docker-py {rp:.2f}")


PY_WHOLE = """import docker, sys
c = docker.DockerClient(base_url=%r).containers.get(sys.argv[1])
print(len(c.logs()))"""
PY_STREAM = """import docker, sys
c = docker.DockerClient(base_url=%r).containers.get(sys.argv[1])
n = 0
for chunk in c.logs(stream=True):
    n += len(chunk)
print(n)"""


def g_logs(dks, rounds):
    mb = int(os.environ.get("DKS_BENCH_LOG_MB", "100"))
    size = mb * 1_000_000
    name = PREFIX + "logs"
    t0 = time.perf_counter()
    c = client.containers.run(IMAGE, ["sh", "-c", "yes 0123456789012345678901234567890123456789012345678901234567890"
                                      f"123456789 | head -c {size}"], name=name, detach=True, labels=LABELS)
    check(c.wait(timeout=TIMEOUT)["StatusCode"] == 0, "logs: writer exit code")
    print(f"\n(logs: the container printed {mb} MB in {time.perf_counter() - t0:.1f} s)")

    variants = {
        "dks stream": ([dks, "--engine", "docker", "-c", f"$c = get {name}; logs $c"], subprocess.DEVNULL),
        "dks capture": ([dks, "--engine", "docker", "-c", f"$c = get {name}; $s = logs $c; echo (len $s)"],
                        subprocess.PIPE),
        "docker-cli": (["docker", "logs", name], subprocess.DEVNULL),
        "docker-py whole": ([sys.executable, "-c", PY_WHOLE % SOCK, name], subprocess.PIPE),
        "docker-py stream": ([sys.executable, "-c", PY_STREAM % SOCK, name], subprocess.PIPE),
    }
    # every read of 100 MB costs the daemon ~5-13 s (json-file decoding) on this machine: the two
    # variants the goals compare run every round, the others in the first round only
    every = ["dks stream", "docker-cli"]
    rss = {v: [] for v in variants}

    digests = {}

    def one(v, r):
        if r > 0 and v not in every:
            return None
        argv, out = variants[v]
        # first round: the two streaming variants write to a pipe that the bench hashes (to check that
        # they print the same bytes); later rounds write to /dev/null
        if r == 0 and v in every:
            out = "hash"
        return measured_round("logs", v, argv, out, size, size, digests, rss)

    order = list(variants)
    res = rounds_of(order, rounds, one)
    check(len(set(digests.values())) == 1, f"logs: dks stream and docker logs differ: {digests}")
    rows = []
    for v in order:
        ts = [x for x in res[v] if x is not None]
        m = med(ts)
        rows.append([v, f"{m:.2f}", f"{mb / m:.1f}", f"{max(rss[v]):.1f}", len(ts)])
    table(f"logs of a container that printed {mb} MB (json-file)", ["tool", "median s", "MB/s", "peak RSS MB", "runs"],
          rows)
    ds, dc = med([x for x in res["dks stream"] if x]), med([x for x in res["docker-cli"] if x])
    py = med([x for x in res["docker-py stream"] if x])
    peak = max(rss["dks stream"])
    print(f"summary logs: dks stream {mb / ds:.1f} MB/s vs docker CLI {mb / dc:.1f} MB/s (dks/docker-cli time "
          f"{ds / dc:.2f}, goal <= 1: {'MET' if ds <= dc else 'NOT MET'}), dks/docker-py stream {ds / py:.2f}; "
          f"dks stream peak {peak:.1f} MB (goal < 64: {'MET' if peak < 64 else 'NOT MET'}); "
          f"dks capture peak {max(rss['dks capture']):.1f} MB")
    c.remove(force=True)


PY_EXEC_STREAM = """import docker, sys
c = docker.DockerClient(base_url=%r).containers.get(sys.argv[1])
n = 0
for chunk in c.exec_run(["cat", "/big"], stream=True).output:
    n += len(chunk)
print(n)"""


def g_stream(dks, rounds):
    """Statement-level output streams: `exec $c cat /big` and `run IMAGE head -c N /dev/zero` against
    `docker exec` / `docker run` (and docker-py's exec_run(stream=True)); output to /dev/null after a
    first round that hashes what each printed."""
    mb = int(os.environ.get("DKS_BENCH_STREAM_MB", "500"))
    run_mb = int(os.environ.get("DKS_BENCH_RUN_MB", "100"))
    size, run_size = mb << 20, run_mb << 20
    name = PREFIX + "stream"
    c = client.containers.run(IMAGE, ["sh", "-c", f"head -c {size} /dev/urandom > /big && sleep 3600"], name=name,
                              detach=True, labels=LABELS)
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        if c.exec_run(["sh", "-c", f"test $(wc -c < /big) -eq {size}"]).exit_code == 0:
            break
        time.sleep(0.5)
    run_args = ["--rm", *CLI_L, IMAGE, "head", "-c", str(run_size), "/dev/zero"]
    variants = {
        "dks exec": ([dks, "--engine", "docker", "-c", f"$c = get {name}; exec $c cat /big"], size),
        "docker-cli exec": (["docker", "exec", name, "cat", "/big"], size),
        "docker-py exec_run stream": ([sys.executable, "-c", PY_EXEC_STREAM % SOCK, name], None),
        "dks run": ([dks, "--engine", "docker", "-c", f"run --rm {DKS_L} {IMAGE} head -c {run_size} /dev/zero"], run_size),
        "docker-cli run": (["docker", "run", *run_args], run_size),
    }
    rss = {v: [] for v in variants}
    digests = {}

    def one(v, r):
        argv, want = variants[v]
        out = "hash" if r == 0 and want else (subprocess.PIPE if want is None else subprocess.DEVNULL)
        return measured_round("stream", v, argv, out, want, size, digests, rss)

    order = list(variants)
    res = rounds_of(order, rounds, one)
    check(digests.get("dks exec") == digests.get("docker-cli exec"), "stream: dks exec and docker exec printed different bytes")
    check(digests.get("dks run") == digests.get("docker-cli run"), "stream: dks run and docker run printed different bytes")
    rows = []
    for v in order:
        m = med(res[v])
        n = run_mb if "run" in v and "exec" not in v else mb
        rows.append([v, f"{m:.2f}", f"{n / m:.0f}", f"{max(rss[v]):.1f}", len(res[v])])
    table(f"statement-level output streams: exec `cat` of {mb} MiB, run printing {run_mb} MiB",
          ["tool", "median s", "MiB/s", "peak RSS MB", "runs"], rows)
    for what, d, cli in (("exec", "dks exec", "docker-cli exec"), ("run", "dks run", "docker-cli run")):
        ds, dc = med(res[d]), med(res[cli])
        print(f"summary stream {what}: dks {ds:.2f} s, {max(rss[d]):.1f} MB vs docker CLI {dc:.2f} s, {max(rss[cli]):.1f} MB "
              f"(dks/docker-cli time {ds / dc:.2f}, goal <= 1: {'MET' if ds <= dc else 'NOT MET'})")
    c.remove(force=True)


def g_parallel(dks, rounds):
    n = 20
    code = (f'$t0 = now()\n'
            f'$codes = parallel(range(0, {n}), fn($i) {{ $c = run -d {DKS_L} {IMAGE} sleep 1; $code = wait $c; '
            f'rm $c; return $code }}, jobs: {n})\n'
            f'echo (now() - $t0)\necho (json($codes))')
    bash = (f'for i in $(seq {n}); do c=$(docker run -d {" ".join(CLI_L)} {IMAGE} sleep 1) || exit 1; '
            f'code=$(docker wait "$c") || exit 1; docker rm "$c" >/dev/null || exit 1; echo "$code"; done')
    # the bash loop is ~20 x 1.3 s; its time is dominated by the sleeps and barely varies: two rounds at most
    bash_rounds = min(rounds, 2)

    def one(v, r):
        if v == "dks parallel":
            _, out = dks_run(dks, code)
            check(json.loads(out[1]) == [0] * n, f"parallel: dks codes {out[1]}")
            return float(out[0])
        if r >= bash_rounds:
            return None
        t, p = sh(["bash", "-c", bash])
        check(p.returncode == 0 and p.stdout.split() == [b"0"] * n,
              f"parallel: bash loop rc {p.returncode} codes {p.stdout.split()}")
        return t

    order = ["dks parallel", "bash + docker CLI"]
    res = rounds_of(order, rounds, one)
    d = med(res["dks parallel"])
    b = med([x for x in res["bash + docker CLI"] if x is not None])
    rows = [["dks parallel", f"{d:.2f}", f"{b / d:.2f}", "parallel(jobs: 20): run -d; wait; rm", len(res["dks parallel"])],
            ["bash + docker CLI", f"{b:.2f}", "1.00", "sequential docker run -d; docker wait; docker rm", bash_rounds]]
    table(f"start, wait, remove {n} containers running `sleep 1` (s)", ["tool", "median s", "speed-up", "how", "runs"],
          rows)
    left = client.containers.list(all=True, filters={"label": f"dks.bench.run={RUN_ID}"})
    check(not left, f"parallel: {len(left)} containers left")
    print(f"summary parallel: dks {d:.2f} s vs bash loop {b:.2f} s: dks/docker-cli {d / b:.3f}, "
          f"{b / d:.1f}x faster (goal >= 3x: {'MET' if b / d >= 3 else 'NOT MET'})")


GROUPS = {"exec": g_exec, "status": g_status, "run": g_run, "logs": g_logs, "stream": g_stream, "parallel": g_parallel}


def main():
    global client
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    dks = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    want = os.environ.get("DKS_BENCH_GROUPS", ",".join(GROUPS)).split(",")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    atexit.register(cleanup)
    try:
        client = docker.DockerClient(base_url=SOCK)
        client.ping()
        client.images.get(IMAGE)
    except Exception as e:  # noqa: BLE001
        print(f"\nengine: skipped (no daemon at {SOCK} or no image {IMAGE}: {e})")
        return
    print(f"\nengine: dks vs docker CLI ({sh(['docker', '--version'])[1].stdout.decode().strip()}) vs docker-py "
          f"{docker.__version__}, daemon {client.version()['Version']}, {rounds} rounds")
    t_all = time.perf_counter()
    try:
        for g in want:
            t0 = time.perf_counter()
            try:
                GROUPS[g](dks, rounds)
            except (RuntimeError, subprocess.TimeoutExpired, docker.errors.DockerException) as e:
                failures.append(f"{g}: {e}")
                print(f"\n{g}: FAILED: {e}")
            print(f"({g}: {time.perf_counter() - t0:.0f} s)")
    finally:
        cleanup()
    print(f"\nengine: {time.perf_counter() - t_all:.0f} s; "
          + ("all checks passed" if not failures else f"{len(failures)} CHECKS FAILED: " + "; ".join(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
