#!/usr/bin/env python3
"""bench/engines.py: dks across several engines, and Swarm services, against the docker CLI.

Usage: python3 bench/engines.py DKS_PATH [ROUNDS]      (run by scripts/bench --only engines)
Env:   DKS_BENCH_CONTAINERS=200   containers per fleet round
       DKS_BENCH_REPLICAS=10      replicas of the service

Two private, throwaway daemons (scripts/private-dockerd, never the shared one), A and B.
Groups (median of ROUNDS; the variants alternate):
  fleet    CONTAINERS containers, each run (detached), waited for and removed:
           dks `parallel(jobs: 16)` with the items spread over A and B (each worker uses its
           item's engine), the same dks program over A alone, and a sequential docker CLI loop
           against A (`docker run -d`, `docker wait`, `docker rm`)
  service  on B, after `swarm init` on 127.0.0.1: `service create --replicas REPLICAS` then
           `wait-converged` (which returns once the same tasks have run for its --stable window,
           1 s), against `docker service create --replicas REPLICAS` (which waits for convergence
           by default, and then watches the tasks for 5 s more to see them stay up: the
           comparison includes both windows); each service is removed after its round

Containers are labelled dks.bench=engines; the daemons, the swarm and their files go at the end,
also on error or SIGINT/SIGTERM. A measurement, never a test.
"""
import atexit
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from benchlib import table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGE = "dks-test/busybox:latest"
RUN_ID = uuid.uuid4().hex[:8]
CONTAINERS = int(os.environ.get("DKS_BENCH_CONTAINERS", "200"))
REPLICAS = int(os.environ.get("DKS_BENCH_REPLICAS", "10"))
TIMEOUT = 1800

DIRS = {"a": f"/tmp/dksbench-eng-a-{RUN_ID}", "b": f"/tmp/dksbench-eng-b-{RUN_ID}"}
hosts = {}
tmp = tempfile.mkdtemp(prefix="dksbench_engines_")

ENV = dict(os.environ)
for k in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
    ENV.pop(k, None)
ENV["DKS_ENGINE"] = "docker"

FLEET = """
$engines = []
for $i in range(1, len($args)) { $engines += [connect($args[$i])] }
$n = int($args[0])
$items = []
for $i in range(0, $n) { $items += [$engines[$i % len($engines)]] }
$codes = parallel($items, fn($e) {
  use-engine $e
  $c = run -d -l dks.bench=engines dks-test/busybox:latest true
  $code = wait $c
  rm $c
  return $code
}, jobs: 16)
echo (len $codes) (sum $codes)
"""

SERVICE = """
$s = service create --name $args[0] --replicas (int $args[1]) dks-test/busybox:latest sleep 600
wait-converged $s --timeout 300s
echo $s.running
"""


def docker(host, *argv, check=True):
    p = subprocess.run(["docker", "-H", host, *argv], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    if check and p.returncode != 0:
        raise RuntimeError(f"docker {' '.join(argv[:3])} exited {p.returncode}: {p.stderr.decode(errors='replace')[-400:]}")
    return p.stdout.decode()


def cleanup():
    if "b" in hosts:
        docker(hosts["b"], "swarm", "leave", "-f", check=False)
        # The host bridge a swarm node makes for its tasks (the private daemon does not own it).
        docker(hosts["b"], "network", "rm", "docker_gwbridge", check=False)
    for d in DIRS.values():
        subprocess.run([os.path.join(ROOT, "scripts", "private-dockerd"), "stop", d],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["rm", "-rf", tmp])


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def timed(argv, env=ENV):
    t0 = time.perf_counter()
    p = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])} exited {p.returncode}: {p.stderr.decode(errors='replace')[-600:]}")
    return time.perf_counter() - t0, p.stdout.decode().strip()


def docker_loop(host, n):
    t0 = time.perf_counter()
    for _ in range(n):
        cid = docker(host, "run", "-d", "-l", "dks.bench=engines", IMAGE, "true").strip()
        docker(host, "wait", cid)
        docker(host, "rm", cid)
    return time.perf_counter() - t0


def main():
    dks = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    atexit.register(cleanup)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    for name, d in DIRS.items():
        p = subprocess.run([os.path.join(ROOT, "scripts", "private-dockerd"), "start", d], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=300)
        if p.returncode != 0:
            sys.exit(f"bench/engines: cannot start daemon {name}: {p.stderr.decode(errors='replace')[-400:]}")
        hosts[name] = p.stdout.decode().strip()
    fleet = os.path.join(tmp, "fleet.dks")
    with open(fleet, "w") as f:
        f.write(FLEET)
    service = os.path.join(tmp, "service.dks")
    with open(service, "w") as f:
        f.write(SERVICE)

    times = {"dks, parallel over A and B": [], "dks, parallel over A": [], "docker CLI loop over A": []}
    for _ in range(rounds):
        t, out = timed([dks, fleet, str(CONTAINERS), hosts["a"], hosts["b"]])
        assert out == f"{CONTAINERS} 0", out
        times["dks, parallel over A and B"].append(t)
        t, out = timed([dks, fleet, str(CONTAINERS), hosts["a"]])
        assert out == f"{CONTAINERS} 0", out
        times["dks, parallel over A"].append(t)
        times["docker CLI loop over A"].append(docker_loop(hosts["a"], CONTAINERS))
    base = statistics.median(times["docker CLI loop over A"])
    table(f"engines: {CONTAINERS} containers (run -d, wait, rm), median of {rounds}",
          ["variant", "seconds", "per container ms", "vs docker CLI loop"],
          [[k, f"{statistics.median(v):.1f}", f"{statistics.median(v) / CONTAINERS * 1000:.0f}",
            f"{statistics.median(v) / base:.2f}"] for k, v in times.items()])

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    docker(hosts["b"], "swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", f"127.0.0.1:{port}")
    env_b = dict(ENV, DOCKER_HOST=hosts["b"])
    st = {"dks service create + wait-converged": [], "docker service create (waits)": []}
    for i in range(rounds):
        name = f"dksbench-{RUN_ID}-{i}"
        t, out = timed([dks, service, name + "-dks", str(REPLICAS)], env=env_b)
        assert out == str(REPLICAS), out
        st["dks service create + wait-converged"].append(t)
        docker(hosts["b"], "service", "rm", name + "-dks")
        t, _ = timed(["docker", "service", "create", "--quiet", "--name", name + "-cli", "--replicas", str(REPLICAS),
                      IMAGE, "sleep", "600"], env=env_b)
        st["docker service create (waits)"].append(t)
        docker(hosts["b"], "service", "rm", name + "-cli")
        # The removed services' tasks stop before the next round starts.
        while docker(hosts["b"], "ps", "-q").strip():
            time.sleep(0.2)
    base = statistics.median(st["docker service create (waits)"])
    table(f"engines: a service of {REPLICAS} replicas, create to converged (swarm on loopback), median of {rounds}",
          ["variant", "seconds", "vs docker CLI"],
          [[k, f"{statistics.median(v):.2f}", f"{statistics.median(v) / base:.2f}"] for k, v in st.items()])


if __name__ == "__main__":
    main()
