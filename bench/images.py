#!/usr/bin/env python3
"""bench/images.py: dks's image workflow against the docker CLI on the same daemon.

Usage: python3 bench/images.py DKS_PATH [ROUNDS]      (run by scripts/bench --only images)
Env:   DKS_BENCH_CONTEXT_MB=200   size of the build context
       DKS_BENCH_LAYER_MB=100     size of the pushed and pulled image's own layer

Groups (median of ROUNDS; the tools alternate, order rotated each round):
  build   `build --no-cache -q` of a context of CONTEXT_MB in 1 MB files (FROM the test image,
          COPY . /ctx): dks against `DOCKER_BUILDKIT=0 docker build`; wall time, peak RSS
  push    a fresh image with a LAYER_MB random layer pushed to a private loopback registry
          (its own, on 127.0.0.1:5002 in a temporary directory): `push -q` against `docker push -q`
  pull    the same images removed locally and pulled back: `pull -q` against `docker pull -q`

Every image is named dksbench_<run>_* and removed at the end, also on error or SIGINT/SIGTERM;
the registry and its storage are removed too. A measurement, never a test.
"""
import atexit
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from benchlib import rounds_of, table

IMAGE = "dks-test/busybox:latest"
RUN_ID = uuid.uuid4().hex[:10]
PREFIX = f"dksbench_{RUN_ID}"
REGISTRY = "127.0.0.1:5002"
TIMEOUT = 900
CONTEXT_MB = int(os.environ.get("DKS_BENCH_CONTEXT_MB", "200"))
LAYER_MB = int(os.environ.get("DKS_BENCH_LAYER_MB", "100"))

ENV = dict(os.environ)
ENV["DOCKER_HOST"] = "unix:///var/run/docker.sock"
ENV.pop("DOCKER_CONTEXT", None)
ENV["DKS_ENGINE"] = "docker"
ENV["DOCKER_BUILDKIT"] = "0"

tmp = tempfile.mkdtemp(prefix="dksbench_images_")
registry = None
failures = []


def cleanup():
    global registry
    names = subprocess.run(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"], env=ENV,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().split()
    mine = [n for n in names if "dksbench_" + RUN_ID in n]
    if mine:
        subprocess.run(["docker", "rmi", "-f", *mine], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if registry is not None and registry.poll() is None:
        registry.terminate()
        try:
            registry.wait(timeout=10)
        except subprocess.TimeoutExpired:
            registry.kill()
    registry = None
    shutil.rmtree(tmp, ignore_errors=True)


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def measured(argv):
    """Runs argv; returns (wall seconds, stdout). Raises when it fails."""
    t0 = time.perf_counter()
    p = subprocess.run(argv, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])} exited {p.returncode}: {p.stderr.decode(errors='replace')[-600:]}")
    return time.perf_counter() - t0, p.stdout


def measured_rss(argv):
    """As measured, with the peak RSS (MB) of the process itself, from wait4."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # stderr stays small (quiet modes); read after the exit.
    _, status, usage = os.wait4(p.pid, 0)
    t = time.perf_counter() - t0
    err = p.stderr.read()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])} exited {p.returncode}: {err.decode(errors='replace')[-600:]}")
    return t, usage.ru_maxrss / 1024.0


def start_registry():
    global registry
    store = os.path.join(tmp, "registry")
    os.makedirs(store)
    conf = os.path.join(tmp, "registry.yml")
    with open(conf, "w") as f:
        f.write(f"version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {store}\n"
                f"http:\n  addr: {REGISTRY}\n")
    registry = subprocess.Popen(["/usr/bin/docker-registry", "serve", conf], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(100):
        if subprocess.run(["curl", "-s", "-o", "/dev/null", f"http://{REGISTRY}/v2/"]).returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError(f"the bench registry did not answer on {REGISTRY}")


def g_build(dks, rounds):
    ctx = os.path.join(tmp, "context")
    os.makedirs(ctx)
    with open(os.path.join(ctx, "Dockerfile"), "w") as f:
        f.write(f"FROM {IMAGE}\nCOPY . /ctx\n")
    for i in range(CONTEXT_MB):
        with open(os.path.join(ctx, f"f{i:04d}.bin"), "wb") as f:
            f.write(os.urandom(1 << 20))

    def one(v, r):
        tag = f"{PREFIX}_build_{v}:{r}"
        if v == "dks":
            t, rss = measured_rss([dks, "-c", f"build --no-cache -q -t {tag} {ctx}"])
        else:
            t, rss = measured_rss(["docker", "build", "--no-cache", "-q", "-t", tag, ctx])
        subprocess.run(["docker", "rmi", "-f", tag], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return t, rss

    res = rounds_of(["dks", "docker-cli"], rounds, one)
    d = statistics.median(t for t, _ in res["dks"])
    c = statistics.median(t for t, _ in res["docker-cli"])
    table(f"build of a {CONTEXT_MB} MB context (--no-cache, classic builder)", ["tool", "median s", "min s", "peak RSS MB"],
          [[v, f"{statistics.median(t for t, _ in res[v]):.2f}", f"{min(t for t, _ in res[v]):.2f}",
            f"{max(m for _, m in res[v]):.0f}"] for v in res])
    print(f"summary: build dks/docker {d / c:.2f}, dks peak RSS {max(m for _, m in res['dks']):.0f} MB")


def fresh_image(name):
    """An image with its own random LAYER_MB layer, tagged for the bench registry."""
    d = os.path.join(tmp, "layer")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "Dockerfile"), "w") as f:
        f.write(f"FROM {IMAGE}\nRUN head -c {LAYER_MB * 1000 * 1000} /dev/urandom > /big\n")
    measured(["docker", "build", "--no-cache", "-q", "-t", name, d])


def g_push_pull(dks, rounds):
    start_registry()
    pushed = {}

    def push(v, r):
        name = f"{REGISTRY}/{PREFIX}/{v}:r{r}"
        fresh_image(name)
        pushed[(v, r)] = name
        if v == "dks":
            return measured_rss([dks, "-c", f"push {name} -q"])
        return measured_rss(["docker", "push", "-q", name])

    res_push = rounds_of(["dks", "docker-cli"], rounds, push)
    # Gone locally (the random layers too), then pulled back by the tool that pushed them.
    subprocess.run(["docker", "rmi", "-f", *pushed.values()], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def pull(v, r):
        name = pushed[(v, r)]
        if v == "dks":
            return measured_rss([dks, "-c", f"pull {name} -q"])
        return measured_rss(["docker", "pull", "-q", name])

    res_pull = rounds_of(["dks", "docker-cli"], rounds, pull)
    for title, res in [(f"push of a {LAYER_MB} MB layer to a loopback registry", res_push),
                       (f"pull of a {LAYER_MB} MB layer from a loopback registry", res_pull)]:
        table(title, ["tool", "median s", "min s", "peak RSS MB"],
              [[v, f"{statistics.median(t for t, _ in res[v]):.2f}", f"{min(t for t, _ in res[v]):.2f}",
                f"{max(m for _, m in res[v]):.0f}"] for v in res])
    for what, res in [("push", res_push), ("pull", res_pull)]:
        d = statistics.median(t for t, _ in res["dks"])
        c = statistics.median(t for t, _ in res["docker-cli"])
        print(f"summary: {what} dks/docker {d / c:.2f}")


GROUPS = {"build": g_build, "push-pull": g_push_pull}


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    dks = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    want = os.environ.get("DKS_BENCH_GROUPS", ",".join(GROUPS)).split(",")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    atexit.register(cleanup)
    version = subprocess.run(["docker", "--version"], stdout=subprocess.PIPE).stdout.decode().strip()
    print(f"\nimages: dks vs {version}, {rounds} rounds")
    try:
        for g in want:
            t0 = time.perf_counter()
            try:
                GROUPS[g](dks, rounds)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                failures.append(f"{g}: {e}")
                print(f"\n{g}: FAILED: {e}")
            print(f"({g}: {time.perf_counter() - t0:.0f} s)")
    finally:
        cleanup()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
