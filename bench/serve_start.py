"""How long a server takes to answer its first request, and what memory its processes hold.

Run by hand (tests never assert timings). It starts the command given after `--` in a process
group of its own, with `{port}` replaced by a free port, asks `--path` until the answer is 200,
and reports the time from the start to that first answer. Then it asks a few more requests
(`--warm`) and sums, over every process of the group, the anonymous memory (`Pss_Anon`) and the
proportional set size (`Pss`) from `/proc/PID/smaps_rollup`: `Pss_Anon` counts each shared
anonymous page once across the processes, and leaves out the store's files, which the page
cache holds once for all of them.

    bench/serve_start.py --repeat 5 --label after -- openforum-ld serve SITE --port {port}
    bench/serve_start.py --label before -- env PYTHONPATH=/tmp/before/src \\
        python -m openforum_ld serve --data DIR --base-uri URL --port {port}
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def group_pids(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) == pgid:
                found.append(int(entry.name))
        except (ProcessLookupError, PermissionError):
            continue
    return found


def rollup(pid: int) -> dict[str, int]:
    """The kB figures of one process's smaps_rollup."""
    figures: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return figures
    for line in text.splitlines()[1:]:
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            figures[name.strip()] = int(parts[0])
    return figures


def memory(pgid: int) -> dict[str, float]:
    pids = group_pids(pgid)
    totals = {"Pss": 0, "Pss_Anon": 0, "Pss_File": 0, "Rss": 0}
    for pid in pids:
        figures = rollup(pid)
        for name in totals:
            totals[name] += figures.get(name, 0)
    return {"processes": len(pids), **{f"{k}_mb": v / 1024 for k, v in totals.items()}}


def ask(url: str, timeout: float = 30) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0


def scan_load(base: str, queries: int) -> None:
    """`queries` different queries that each read the whole default graph, four at a time, so
    that every query worker has read the store: what its caches hold is then in the figures."""
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import quote

    def ask(number: int) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(!isBlank(?s)) }} # {number}"
        return ask_url(f"{base}sparql?query={quote(query)}")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(ask, range(queries)))


def ask_url(url: str) -> int:
    return ask(url, timeout=600)


def one_run(
    command: list[str], path: str, warm: int, limit: float, load: int = 0
) -> dict[str, float]:
    port = free_port()
    argv = [part.replace("{port}", str(port)) for part in command]
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}{path}"
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with {process.returncode}: "
                    + (process.stderr.read().decode()[-2000:] if process.stderr else "")
                )
            if ask(url, timeout=limit) == 200:
                break
            if time.perf_counter() - started > limit:
                raise RuntimeError(f"no answer from {url} within {limit} s")
            time.sleep(0.01)
        first = time.perf_counter() - started
        for _ in range(warm):
            ask(url)
        time.sleep(0.5)
        figures = {"first_answer_s": first, **memory(process.pid)}
        if load:
            scan_load(f"http://127.0.0.1:{port}/", load)
            time.sleep(0.5)
            figures |= {f"loaded_{k}": v for k, v in memory(process.pid).items()}
        return figures
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="server")
    parser.add_argument("--path", default="/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warm", type=int, default=20, help="requests before memory is read")
    parser.add_argument("--limit", type=float, default=3600, help="seconds to wait for an answer")
    parser.add_argument(
        "--load", type=int, default=0, help="whole-store scans before memory is read again"
    )
    parser.add_argument("--json", type=Path, help="also write the runs to this file")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the server command after --")
    runs = [
        one_run(command, args.path, args.warm, args.limit, args.load) for _ in range(args.repeat)
    ]
    firsts = [run["first_answer_s"] for run in runs]
    summary = {
        "label": args.label,
        "command": command,
        "runs": runs,
        "first_answer_median_s": statistics.median(firsts),
        "first_answer_min_s": min(firsts),
        "pss_anon_median_mb": statistics.median(run["Pss_Anon_mb"] for run in runs),
        "pss_median_mb": statistics.median(run["Pss_mb"] for run in runs),
    }
    print(
        f"{args.label}: first answer median {summary['first_answer_median_s']:.2f} s "
        f"(min {summary['first_answer_min_s']:.2f} s, {len(runs)} runs); "
        f"Pss_Anon {summary['pss_anon_median_mb']:.0f} MB, Pss {summary['pss_median_mb']:.0f} MB "
        f"in {runs[-1]['processes']:.0f} processes"
    )
    if args.load:
        loaded = statistics.median(run["loaded_Pss_Anon_mb"] for run in runs)
        print(f"{args.label}: after {args.load} whole-store scans, Pss_Anon {loaded:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
