#!/usr/bin/env python3
"""Helpers shared by scripts/bench and the benchmarks in bench/*/run (Python standard library only).

Subcommands (run `benchlib.py SUBCOMMAND --help` for the options):

  free-port [--start N] [--reserve FILE]   print a free 127.0.0.1 TCP port (skips ports in FILE, adds it)
  wait-http URL [--timeout S] [--pid P]    wait until GET URL answers 200; fails early when P exits
  get URL [-H 'Name: value']...            print the HTTP status and body size of GET URL
  post-json URL JSON [--field F]           POST JSON, print the response (or its field F)
  demo-rule URL                            add "every lead: round-robin in the first demo team" as the
                                           demo owner through the rules page; print the team as JSON
  cpu-ticks PID                            print utime+stime (clock ticks) of PID and its children
  cpu-snapshot PID PARENT                  print CPU ticks: PID (+children), PARENT's waited-for children, machine busy
  cpu-delta BEFORE AFTER                   print the difference of two cpu-snapshot lines
  cpu-busy [SECONDS]                       print the percentage of all CPUs busy over SECONDS (default 2)
  wrk-parse FILE                           print the parsed wrk output as JSON
  row --measure M --relief-wrk F ...       print one result row (JSON) built from wrk outputs
  report --name N --rows FILE --out JSON   write the result JSON and print its table
  table JSON...                            print the table of saved results
"""

import argparse
import datetime
import json
import os
import platform
import re
import socket
import sys
import time
import urllib.error
import urllib.request

# ---------------------------------------------------------------------------- ports and HTTP


def port_is_free(port):
    """True when nothing is bound to 127.0.0.1:port (or the wildcard address)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        sock.close()


def free_port(start, reserve_file):
    """The first free loopback port at or above start that this run has not handed out yet.

    Ports are taken below Linux's ephemeral range (32768+) by default so that wrk's own client
    sockets never collide with a server port. Handed-out ports are appended to reserve_file, so two
    calls before either server binds still get different ports.
    """
    reserved = set()
    if reserve_file and os.path.exists(reserve_file):
        with open(reserve_file) as handle:
            reserved = {int(line) for line in handle if line.strip().isdigit()}
    for port in range(start, min(start + 2000, 65536)):
        if port in reserved or not port_is_free(port):
            continue
        if reserve_file:
            with open(reserve_file, "a") as handle:
                handle.write(f"{port}\n")
        return port
    raise SystemExit(f"benchlib: no free port in {start}..{start + 1999}")


def http_get(url, headers=(), timeout=5.0):
    """(status, body bytes) of GET url; HTTP errors are answers too."""
    request = urllib.request.Request(url)
    for header in headers:
        name, _, value = header.partition(":")
        request.add_header(name.strip(), value.strip())
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def http_status(url, headers=(), timeout=5.0):
    return http_get(url, headers, timeout)[0]


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0): look at its state.
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def wait_http(url, timeout, pid):
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if pid and not pid_alive(pid):
            print(f"benchlib: process {pid} exited while waiting for {url}", file=sys.stderr)
            return 1
        try:
            status = http_status(url, timeout=2.0)
            if status == 200:
                return 0
            last = f"HTTP {status}"
        except (OSError, urllib.error.URLError) as error:
            last = str(getattr(error, "reason", error))
        time.sleep(0.25)
    print(f"benchlib: no 200 from {url} after {timeout:g}s (last: {last})", file=sys.stderr)
    return 1


def post_json(url, body, field):
    request = urllib.request.Request(
        url, data=body.encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
    except urllib.error.HTTPError as error:
        raise SystemExit(f"benchlib: POST {url} answered {error.code}: {error.read().decode()[:300]}")
    if field is None:
        return text
    value = json.loads(text).get(field)
    if value is None:
        raise SystemExit(f"benchlib: POST {url}: no field {field!r} in the response")
    return str(value)


DEMO_OWNER = ("owner@summit-demo.example", "ReliefDemo!2026")


def _csrf_field(html):
    match = re.search(r'name="_csrf" value="([^"]+)"', html)
    if not match:
        raise SystemExit("benchlib: no _csrf field in the page")
    return match.group(1)


def demo_rule(url):
    """Signs in to the web app as the demo owner and adds an active assignment rule sending every
    lead round-robin to the first team (by name), the way a manager does on
    /app/admin/assignment (there is no API or command for rules). Returns the team (id, name,
    member_ids)."""
    import http.cookiejar
    import urllib.parse

    email, password = DEMO_OWNER
    token = post_json(
        f"{url}/api/v1/auth/token", json.dumps({"email": email, "password": password}),
        "access_token",
    )
    status, body = http_get(f"{url}/api/v1/teams", [f"Authorization: Bearer {token}"])
    if status != 200:
        raise SystemExit(f"benchlib: GET /api/v1/teams answered {status}")
    teams = json.loads(body)
    teams = teams.get("data", teams) if isinstance(teams, dict) else teams
    if not teams:
        raise SystemExit("benchlib: the demo organization has no team")
    team = sorted(teams, key=lambda t: t["name"])[0]

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def fetch(path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        with opener.open(f"{url}{path}", data=data, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()

    _, _, page = fetch("/login")
    _, landed, _ = fetch("/login", {"email": email, "password": password, "_csrf": _csrf_field(page)})
    if "/login" in urllib.parse.urlparse(landed).path:
        raise SystemExit("benchlib: signing in to the web app as the demo owner failed")
    _, _, page = fetch("/app/admin/assignment/rules/new")
    name = "Benchmark: every lead"
    status, _, page = fetch(
        "/app/admin/assignment/rules",
        {
            "_csrf": _csrf_field(page), "name": name, "is_active": "yes",
            "target_type": "team", "target_team": team["id"],
        },
    )
    if status != 200 or name not in page:
        raise SystemExit(f"benchlib: adding the rule answered {status} without the rule on the page")
    print(
        f"benchlib: assignment rule '{name}': round-robin in team {team['name']} "
        f"({len(team.get('member_ids', []))} members)",
        file=sys.stderr,
    )
    return {"team_id": team["id"], "team_name": team["name"], "member_ids": team.get("member_ids", [])}


def cpu_ticks(pid):
    """utime + stime of pid and its direct children (nginx workers), in clock ticks."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = _stat_fields(entry)
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total


def _stat_fields(pid):
    with open(f"/proc/{pid}/stat") as handle:
        # Fields after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime,
        # [13] cutime, [14] cstime.
        return handle.read().rsplit(")", 1)[1].split()


def machine_busy_ticks():
    """Busy clock ticks of all CPUs together since boot (user, nice, system, irq, softirq, steal)."""
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    return user + nice + system + irq + softirq + steal


def cpu_snapshot(pid, parent):
    """server ticks (pid and its children), ticks of parent's waited-for children (the load
    generator, once waited for), and machine busy ticks."""
    try:
        fields = _stat_fields(parent)
        waited = int(fields[13]) + int(fields[14])
    except OSError:
        waited = 0
    return cpu_ticks(pid), waited, machine_busy_ticks()


def cpu_busy(seconds):
    """Percentage of all CPUs that were busy over the next `seconds`."""
    def totals():
        with open("/proc/stat") as handle:
            values = [int(v) for v in handle.readline().split()[1:]]
        return sum(values[:8]), machine_busy_ticks()

    total_before, busy_before = totals()
    time.sleep(seconds)
    total_after, busy_after = totals()
    elapsed = total_after - total_before
    return 0.0 if elapsed <= 0 else 100.0 * (busy_after - busy_before) / elapsed


# ---------------------------------------------------------------------------- wrk output

_TIME_SCALE_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_BINARY = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4, "P": 1024**5}
_METRIC = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15}


def _ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(f"not a wrk time: {text!r}")
    return float(match.group(1)) * _TIME_SCALE_MS[match.group(2)]


def _bytes(text):
    match = re.fullmatch(r"([\d.]+)([KMGTP]?)B", text)
    if not match:
        raise ValueError(f"not a wrk size: {text!r}")
    return float(match.group(1)) * _BINARY[match.group(2)]


def _metric(text):
    match = re.fullmatch(r"([\d.]+)([kMGTP]?)", text)
    if not match:
        raise ValueError(f"not a wrk count: {text!r}")
    return float(match.group(1)) * _METRIC[match.group(2)]


def parse_wrk(text):
    """Parses wrk 4 output (with or without --latency). Times are in ms, sizes in bytes."""
    result = {
        "url": None,
        "threads": None,
        "connections": None,
        "requests": None,
        "duration_s": None,
        "bytes_read": None,
        "requests_per_s": None,
        "transfer_bytes_per_s": None,
        "latency_ms": {},
        "latency_distribution_ms": {},
        "req_per_thread": {},
        "non_2xx_3xx": 0,
        "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
    }
    in_distribution = False
    for raw in text.splitlines():
        line = raw.strip()
        if match := re.match(r"Running .* test @ (\S+)", line):
            result["url"] = match.group(1)
        elif match := re.match(r"(\d+) threads and (\d+) connections", line):
            result["threads"], result["connections"] = int(match.group(1)), int(match.group(2))
        elif line.startswith("Latency Distribution"):
            in_distribution = True
            continue
        elif in_distribution and (match := re.fullmatch(r"([\d.]+)%\s+(\S+)", line)):
            result["latency_distribution_ms"][f"p{float(match.group(1)):g}"] = _ms(match.group(2))
            continue
        elif match := re.match(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)\s+([\d.]+)%", line):
            result["latency_ms"] = {
                "avg": _ms(match.group(1)),
                "stdev": _ms(match.group(2)),
                "max": _ms(match.group(3)),
                "within_stdev_percent": float(match.group(4)),
            }
        elif match := re.match(r"Req/Sec\s+(\S+)\s+(\S+)\s+(\S+)\s+([\d.]+)%", line):
            result["req_per_thread"] = {
                "avg": _metric(match.group(1)),
                "stdev": _metric(match.group(2)),
                "max": _metric(match.group(3)),
            }
        elif match := re.match(r"(\d+) requests in (\S+), (\S+) read", line):
            result["requests"] = int(match.group(1))
            result["duration_s"] = _ms(match.group(2)) / 1000.0
            result["bytes_read"] = _bytes(match.group(3))
        elif match := re.match(
            r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", line
        ):
            keys = ("connect", "read", "write", "timeout")
            result["socket_errors"] = {k: int(v) for k, v in zip(keys, match.groups())}
        elif match := re.match(r"Non-2xx or 3xx responses: (\d+)", line):
            result["non_2xx_3xx"] = int(match.group(1))
        elif match := re.match(r"Requests/sec:\s+([\d.]+)", line):
            result["requests_per_s"] = float(match.group(1))
        elif match := re.match(r"Transfer/sec:\s+(\S+)", line):
            result["transfer_bytes_per_s"] = _bytes(match.group(1))
        in_distribution = False
    if result["requests_per_s"] is None or result["requests"] is None:
        raise ValueError("no 'Requests/sec' in the wrk output (did wrk fail?)")
    return result


def parse_wrk_file(path):
    with open(path) as handle:
        return parse_wrk(handle.read())


# ---------------------------------------------------------------------------- rows and tables


def wrk_problems(parsed):
    problems = []
    if parsed["non_2xx_3xx"]:
        problems.append(f"{parsed['non_2xx_3xx']} non-2xx/3xx responses")
    errors = {k: v for k, v in parsed["socket_errors"].items() if v}
    if errors:
        problems.append("socket errors " + ", ".join(f"{k} {v}" for k, v in errors.items()))
    return problems


def build_row(args):
    relief = parse_wrk_file(args.relief_wrk)
    row = {
        "measure": args.measure,
        "unit": "req/s",
        "relief": relief["requests_per_s"],
        "relief_p50_ms": relief["latency_distribution_ms"].get("p50"),
        "relief_p99_ms": relief["latency_distribution_ms"].get("p99"),
        "reference": args.reference,
        "reference_value": None,
        "ratio": None,
        "reference_p50_ms": None,
        "reference_p99_ms": None,
        "problems": [f"ReliefCRM: {p}" for p in wrk_problems(relief)],
        "relief_wrk": relief,
    }
    if args.relief_cpu:
        row.update(cpu_shares("relief", args.relief_cpu, relief["duration_s"]))
        row["problems"] += busy_problem("ReliefCRM", row.get("relief_other_cpu_percent"))
    if args.reference_wrk:
        reference = parse_wrk_file(args.reference_wrk)
        row["reference_value"] = reference["requests_per_s"]
        row["reference_p50_ms"] = reference["latency_distribution_ms"].get("p50")
        row["reference_p99_ms"] = reference["latency_distribution_ms"].get("p99")
        if reference["requests_per_s"]:
            row["ratio"] = relief["requests_per_s"] / reference["requests_per_s"]
        row["problems"] += [f"reference: {p}" for p in wrk_problems(reference)]
        row["reference_wrk"] = reference
        if args.reference_cpu:
            row.update(cpu_shares("reference", args.reference_cpu, reference["duration_s"]))
            row["problems"] += busy_problem("reference", row.get("reference_other_cpu_percent"))
    return row


def cpu_percent(ticks, seconds):
    """CPU use over a measurement, in percent of one core (200 = both cores of this machine)."""
    if not seconds:
        return None
    return round(100.0 * ticks / os.sysconf("SC_CLK_TCK") / seconds, 1)


# Other processes taking more than this share of one core during a measurement make it suspect.
BUSY_OTHER_PERCENT = 20.0


def busy_problem(label, other_percent):
    if other_percent is None or other_percent <= BUSY_OTHER_PERCENT:
        return []
    return [
        f"{label}: other processes used {other_percent:.0f}% of a core during the measurement; "
        "the machine was not quiet, so this number is pessimistic"
    ]


def cpu_shares(prefix, path, seconds):
    """Reads a cpu-delta file (server, load generator, machine ticks) into row fields:
    the server's CPU, the load generator's, and what every other process took meanwhile."""
    with open(path) as handle:
        server, generator, machine = (int(v) for v in handle.read().split())
    other = max(0, machine - server - generator)
    return {
        f"{prefix}_cpu_percent": cpu_percent(server, seconds),
        f"{prefix}_loadgen_cpu_percent": cpu_percent(generator, seconds),
        f"{prefix}_other_cpu_percent": cpu_percent(other, seconds),
    }


def _fmt_value(value, unit=""):
    if value is None:
        return "-"
    if unit == "req/s" or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def _fmt_ms(value):
    return "-" if value is None else (f"{value:.2f}" if value < 100 else f"{value:.0f}")


def table_lines(result):
    rows = result["rows"]
    with_latency = any(r.get("relief_p50_ms") is not None for r in rows)
    header = ["measure", "ReliefCRM", "reference", "reference value", "ratio"]
    if with_latency:
        header += ["ReliefCRM p50 ms", "ReliefCRM p99 ms", "reference p50 ms", "reference p99 ms"]
    body = []
    for row in rows:
        unit = row.get("unit", "")
        measure = f"{row['measure']} ({unit})" if unit else row["measure"]
        cells = [
            measure,
            _fmt_value(row.get("relief"), unit),
            row.get("reference") or "-",
            _fmt_value(row.get("reference_value"), unit),
            "-" if row.get("ratio") is None else f"{row['ratio']:.2f}",
        ]
        if with_latency:
            cells += [
                _fmt_ms(row.get("relief_p50_ms")),
                _fmt_ms(row.get("relief_p99_ms")),
                _fmt_ms(row.get("reference_p50_ms")),
                _fmt_ms(row.get("reference_p99_ms")),
            ]
        body.append(cells)
    widths = [max(len(line[i]) for line in [header] + body) for i in range(len(header))]
    numeric = [False, True, False, True, True] + [True] * (len(header) - 5)

    def render(cells):
        padded = [
            c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(
        "-" * (w + 1) + ":" if num else "-" * (w + 2) for w, num in zip(widths, numeric)
    ) + "|"
    return [render(header), rule] + [render(cells) for cells in body]


def print_result(result, path=None, verb="saved"):
    params = result.get("parameters", {})
    title = f"benchmark {result['benchmark']} — {result.get('timestamp', '?')}"
    print(title)
    if params:
        print("  " + ", ".join(f"{k}={v}" for k, v in params.items()))
    print()
    for line in table_lines(result):
        print(line)
    print()
    print("ratio = ReliefCRM / reference (for rates such as req/s, higher is better).")
    for row in result["rows"]:
        cpu = []
        for prefix, label in (("relief", "ReliefCRM"), ("reference", "reference")):
            if row.get(f"{prefix}_cpu_percent") is None:
                continue
            part = f"{label} {row[f'{prefix}_cpu_percent']:.0f}%"
            if row.get(f"{prefix}_loadgen_cpu_percent") is not None:
                part += (
                    f" + load generator {row[f'{prefix}_loadgen_cpu_percent']:.0f}%"
                    f" + other processes {row[f'{prefix}_other_cpu_percent']:.0f}%"
                )
            cpu.append(part)
        if cpu:
            print(f"CPU during '{row['measure']}' (100% = one core): {'; '.join(cpu)}")
        for problem in row.get("problems", []):
            print(f"WARNING '{row['measure']}': {problem}")
    for note in result.get("notes", []):
        print(f"note: {note}")
    if path:
        print(f"{verb} {path}")


def host_info():
    model = None
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "kernel": platform.release(),
        "machine": platform.machine(),
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def _key_values(pairs):
    values = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"benchlib: expected KEY=VALUE, got {pair!r}")
        values[key] = int(value) if re.fullmatch(r"-?\d+", value) else value
    return values


def report(args):
    with open(args.rows) as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    result = {
        "benchmark": args.name,
        "timestamp": args.timestamp
        or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "parameters": _key_values(args.param),
        "versions": _key_values(args.version),
        "host": host_info(),
        "notes": args.note or [],
        "rows": rows,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as handle:
        json.dump(result, handle, indent=2)
        handle.write("\n")
    print_result(result, args.out)
    failed = [
        row["measure"]
        for row in rows
        for key in ("relief_wrk", "reference_wrk")
        if (row.get(key) or {}).get("non_2xx_3xx")
    ]
    if args.strict and failed:
        print(f"benchlib: non-2xx/3xx answers in: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------------------- command line


def main(argv):
    parser = argparse.ArgumentParser(prog="benchlib.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("free-port")
    p.add_argument("--start", type=int, default=int(os.environ.get("BENCH_PORT_START", 20000)))
    p.add_argument("--reserve", default=os.environ.get("BENCH_PORTS_FILE"))

    p = sub.add_parser("wait-http")
    p.add_argument("url")
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--pid", type=int)

    p = sub.add_parser("get")
    p.add_argument("url")
    p.add_argument("-H", "--header", action="append", default=[])

    p = sub.add_parser("post-json")
    p.add_argument("url")
    p.add_argument("body")
    p.add_argument("--field")

    p = sub.add_parser("demo-rule")
    p.add_argument("url")

    p = sub.add_parser("cpu-ticks")
    p.add_argument("pid", type=int)

    p = sub.add_parser("cpu-snapshot")
    p.add_argument("pid", type=int)
    p.add_argument("parent", type=int)

    p = sub.add_parser("cpu-delta")
    p.add_argument("before")
    p.add_argument("after")

    p = sub.add_parser("cpu-busy")
    p.add_argument("seconds", type=float, nargs="?", default=2.0)

    p = sub.add_parser("wrk-parse")
    p.add_argument("file")

    p = sub.add_parser("row")
    p.add_argument("--measure", required=True)
    p.add_argument("--relief-wrk", required=True)
    p.add_argument("--relief-cpu", metavar="FILE", help="cpu-delta output for the ReliefCRM run")
    p.add_argument("--reference", default=None)
    p.add_argument("--reference-wrk")
    p.add_argument("--reference-cpu", metavar="FILE", help="cpu-delta output for the reference")

    p = sub.add_parser("report")
    p.add_argument("--name", required=True)
    p.add_argument("--rows", required=True, help="file with one JSON row per line")
    p.add_argument("--out", required=True)
    p.add_argument("--timestamp")
    p.add_argument("--param", action="append", metavar="KEY=VALUE")
    p.add_argument("--version", action="append", metavar="KEY=VALUE")
    p.add_argument("--note", action="append")
    p.add_argument(
        "--strict", action="store_true", help="exit 1 when a measurement saw non-2xx/3xx answers"
    )

    p = sub.add_parser("table")
    p.add_argument("files", nargs="+")

    args = parser.parse_args(argv)
    if args.command == "free-port":
        print(free_port(args.start, args.reserve))
    elif args.command == "wait-http":
        return wait_http(args.url, args.timeout, args.pid)
    elif args.command == "get":
        try:
            status, body = http_get(args.url, args.header)
        except (OSError, urllib.error.URLError) as error:
            print(f"benchlib: GET {args.url}: {error}", file=sys.stderr)
            return 1
        print(status, len(body))
    elif args.command == "post-json":
        print(post_json(args.url, args.body, args.field))
    elif args.command == "demo-rule":
        print(json.dumps(demo_rule(args.url)))
    elif args.command == "cpu-ticks":
        print(cpu_ticks(args.pid))
    elif args.command == "cpu-snapshot":
        print(*cpu_snapshot(args.pid, args.parent))
    elif args.command == "cpu-delta":
        before, after = (list(map(int, v.split())) for v in (args.before, args.after))
        print(*(a - b for a, b in zip(after, before)))
    elif args.command == "cpu-busy":
        print(f"{cpu_busy(args.seconds):.0f}")
    elif args.command == "wrk-parse":
        print(json.dumps(parse_wrk_file(args.file), indent=2))
    elif args.command == "row":
        print(json.dumps(build_row(args)))
    elif args.command == "report":
        return report(args)
    elif args.command == "table":
        for index, path in enumerate(args.files):
            if index:
                print()
            with open(path) as handle:
                print_result(json.load(handle), path, verb="from")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
