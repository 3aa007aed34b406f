"""`make bench`: gunicorn with the production settings on a fresh PostgreSQL database,
loaded with the demo and the bench data (benchmarks/seed.py), measured with wrk on
loopback. Prints one table; see benchmarks/README.md.

Environment: BENCH_PG (default postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL
(default redis://127.0.0.1:6379/0 when Redis answers, else local memory), BENCH_SECONDS
(default 8), BENCH_ROUNDS (default 10) of BENCH_ROUND_SECONDS (default 4) for the rows
compared as ratios, BENCH_PORT (default 8765), WEB_CONCURRENCY (gunicorn's default
otherwise)."""

import base64
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
# The rows compared as ratios run in turn, in many short rounds: the machine's speed
# drifts from minute to minute, and a ratio of rounds seconds apart is steadier than one of
# rounds half a minute apart (at 5 rounds of 8 s, the rounds' ratios of two identical
# stacks spread over 0.94-1.02).
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
ROUND_SECONDS = int(os.environ.get("BENCH_ROUND_SECONDS", "4"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
HOST = "127.0.0.1"
BARE_PORT = PORT + 1
PROXY_PORT = PORT + 2
CONTROL_PORT = PORT + 3
CONNECTIONS = 32
DRAIN_LIMIT = 300  # seconds to wait for the task worker to send every email
# What a browser sends with every GET (Chrome over HTTPS): static files and cached pages
# are then answered with their Brotli copies, as visitors get them.
BROWSER = ("Accept-Encoding: gzip, deflate, br, zstd",)


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# Database ------------------------------------------------------------------------------
def psql(sql, database="postgres"):
    return subprocess.run(
        ["psql", f"{PG}/{database}", "-v", "ON_ERROR_STOP=1", "-q", "-tA", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def redis_url():
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return url
    except OSError:
        pass
    return ""


def drop_redis_keys(url, prefix):
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


# HTTP helpers ----------------------------------------------------------------------------
def request(method, path, body=None, headers=None, port=PORT):
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def cookies_of(response):
    jar = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return jar


def csrf_pair(path):
    """A CSRF cookie and form token from a fresh GET of a form page (one per client)."""
    response, body = request("GET", path)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return cookies_of(response)["csrftoken"], token


# Load generation -----------------------------------------------------------------------
def ensure_wrk():
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk (apt-get)…")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True)
    return bool(shutil.which("wrk"))


def _ms(text):
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text or "")
    if not match:
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(
    path,
    *,
    connections=CONNECTIONS,
    threads=2,
    headers=(),
    script=None,
    env=None,
    port=PORT,
    seconds=SECONDS,
):
    # A long timeout: an uncached page under 32 connections queues for seconds on a small
    # machine, and wrk would otherwise count those requests as errors, not as latency.
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    cmd.append("--latency")
    for header in headers:
        cmd += ["-H", header]
    if script:
        cmd += ["-s", str(script)]
    cmd.append(f"http://{HOST}:{port}{path}")
    out = subprocess.run(
        cmd, capture_output=True, text=True, check=True, env={**os.environ, **(env or {})}
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        # The latency distribution's lines ("  50%  7.52ms"), not a "+/- Stdev" column
        # that happens to end in 50% or 99%.
        "p50": _ms((re.search(r"^\s+50%\s+(\S+)", out, re.M) or [None, None])[1]),
        "p99": _ms((re.search(r"^\s+99%\s+(\S+)", out, re.M) or [None, None])[1]),
        "non2xx": int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1]),
        "socket_errors": sum(
            int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out)
        ),
        "raw": out,
    }
    return result


def python_load(path, *, connections=CONNECTIONS, headers=(), port=PORT, seconds=SECONDS):
    """Fallback when wrk cannot be installed: keep-alive GETs from threads."""
    latencies, stop = [], time.monotonic() + seconds
    errors = [0]
    hdrs = dict(h.split(": ", 1) for h in headers)

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < stop:
            t = time.perf_counter()
            conn.request("GET", path, headers=hdrs)
            response = conn.getresponse()
            response.read()
            latencies.append((time.perf_counter() - t) * 1000)
            if response.status >= 400:
                errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {
        "rps": len(latencies) / (time.monotonic() - started),
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99)],
        "non2xx": errors[0],
        "socket_errors": 0,
    }


def load(path, **kwargs):
    return wrk(path, **kwargs) if HAVE_WRK else python_load(path, **kwargs)


def interleaved(loads, each_round=contextlib.nullcontext):
    """Run the loads (name → callable) in turn, ROUNDS times over: the rows compared as
    ratios (ours against whitenoise alone, a cached page against the static file) then
    share the machine's minute-to-minute drift instead of being measured minutes apart.
    Each round runs inside `each_round()` (servers started for it) and starts one load
    further along, so that no load always follows the same other one. Each row is its
    median round by req/s, with every round's req/s and the worst round's p99/p50 kept
    for the table."""
    rounds = {name: [] for name in loads}
    names = list(loads)
    for number in range(ROUNDS):
        shift = number % len(names)
        with each_round():
            for name in names[shift:] + names[:shift]:
                rounds[name].append(loads[name]())
    rows = {}
    for name, results in rounds.items():
        median = dict(sorted(results, key=lambda r: r["rps"])[len(results) // 2])
        median["rounds"] = [r["rps"] for r in results]
        median["worst_tail"] = max(r["p99"] / r["p50"] for r in results)
        rows[name] = median
    return rows


@contextlib.contextmanager
def fresh_stacks(env, logfile, data):
    """Our server and whitenoise alone, started for one round of rows 1-2. How fast a
    server process is depends on where its memory happens to lie: between two starts of
    the same server, a static file's CPU time in a worker differed by up to 5% on this
    machine, and every worker shares its master's luck. A run on one start of each would
    carry that luck in every round; a start for each round draws it anew. A second
    bare server is the control: two identical servers, whose ratio shows how far apart
    this run measures things that are the same."""
    with (
        Server(env, logfile),
        BareStatic(env, logfile),
        BareStatic(env, logfile, port=CONTROL_PORT),
    ):
        warm_up(data)
        for port in (BARE_PORT, CONTROL_PORT):
            load(data["static"], port=port, headers=BROWSER, seconds=1)
        yield


def warm_up(data):
    """Every worker's first requests (its copies of the page and of the files, the page
    cache's epoch) made before any that are measured; the event page must be a hit."""
    for url in (data["event"], data["static"]):
        request("GET", url)
    hit, _ = request("GET", data["event"])
    assert hit.getheader("X-Page-Cache") == "hit", hit.getheader("X-Page-Cache")
    for url in (data["event"], data["static"]):
        load(url, headers=BROWSER, seconds=1)


# gunicorn --------------------------------------------------------------------------------
class Process:
    """A process group started for the run, stopped (with its children) on exit."""

    command = ()

    def __init__(self, env, logfile):
        self.env, self.logfile = env, logfile

    def __enter__(self):
        self.proc = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=open(self.logfile, "ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def __exit__(self, *exc):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


class Server(Process):
    command = (GUNICORN, "--config", "gunicorn.conf.py")
    port = PORT
    ready_path = "/healthz"

    def __enter__(self):
        super().__enter__()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                response, _ = request("GET", self.ready_path, port=self.port)
                if response.status in (200, 404):
                    time.sleep(1)  # every worker up
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"{self.command[0]} did not start: {self.logfile.read_text()[-2000:]}")

    def workers(self):
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


class BareStatic(Server):
    """The limit for static files: whitenoise alone as the WSGI app (no Django), in
    gunicorn with the same settings (benchmarks/bare_static.py)."""

    command = (GUNICORN, "--config", "gunicorn.conf.py", "benchmarks.bare_static:application")
    ready_path = "/"

    def __init__(self, env, logfile, port=BARE_PORT):
        self.port = port
        super().__init__({**env, "GUNICORN_BIND": f"{HOST}:{port}"}, logfile)


class Proxy(Server):
    """Varnish (config/varnish/run) in front of the app server."""

    command = (str(ROOT / "config" / "varnish" / "run"), f"{HOST}:{PROXY_PORT}", f"{HOST}:{PORT}")
    port = PROXY_PORT


def memory(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # MiB
    return 0.0


# The run ---------------------------------------------------------------------------------
def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


class Worker(Process):
    """`manage.py run_worker`, the worker a deployment runs next to gunicorn (here on
    the same two CPUs, at a lower priority than the web workers)."""

    # Idle CPU priority (`make serve` does the same): emails are sent in the gaps the web
    # workers leave, not at their expense (49 registrations/s with the worker at nice 10,
    # 68 at idle priority, in one pair of runs).
    command = ("chrt", "--idle", "0", PY, "manage.py", "run_worker", "--interval", "0.2")


def emails_by_status(database, page_id):
    rows = psql(
        "SELECT e.status, count(*) FROM forms_app_outgoingemail e JOIN forms_app_registration r"
        f" ON r.id = e.registration_id WHERE r.page_id = {int(page_id)} GROUP BY e.status",
        database,
    )
    return {status: int(n) for status, n in (line.split("|") for line in rows.splitlines())}


def cpu_seconds(server_pgid, worker_pgid=None):
    """CPU seconds so far (user + system, from `/proc`) of the web server's processes, the
    task worker's and PostgreSQL's: where a run's CPU went."""
    tick = os.sysconf("SC_CLK_TCK")
    totals = {"web": 0.0, "worker": 0.0, "postgres": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone since the listing
            continue
        comm = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        pgid, cpu = int(fields[2]), (int(fields[11]) + int(fields[12])) / tick
        if pgid == server_pgid:
            totals["web"] += cpu
        elif worker_pgid is not None and pgid == worker_pgid:
            totals["worker"] += cpu
        elif comm.startswith("postgres"):
            totals["postgres"] += cpu
    return totals


def registration_run(env, data, logfile, server, *, worker_alongside):
    """wrk's registration POSTs, then the task worker's sending of their confirmations:
    with the worker running during the POSTs (on the same CPUs), or started only after
    them (as a worker on another machine would leave these CPUs to the web workers)."""
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    page_id = data["workshop_form_id"]
    before = emails_by_status(database, page_id)
    with contextlib.ExitStack() as stack:
        worker = stack.enter_context(Worker(env, logfile)) if worker_alongside else None
        clients = [csrf_pair(data["workshop_form"]) for _ in range(CONNECTIONS)]
        tokens = Path(tempfile.mkstemp(suffix=".tokens")[1])
        tokens.write_text("".join(f"{cookie} {token}\n" for cookie, token in clients))
        groups = (server.proc.pid, worker.proc.pid if worker else None)
        cpu_before = cpu_seconds(*groups)
        result = wrk(
            data["workshop_form"],
            connections=CONNECTIONS,
            threads=CONNECTIONS,
            script=BENCH / "register.lua",
            env={"BENCH_TOKENS": str(tokens)},
        )
        cpu_after = cpu_seconds(*groups)
        tokens.unlink()
        log(result["raw"])
        counts = json.loads(re.search(r"BENCH_COUNTS (\{.*\})", result["raw"]).group(1))
        time.sleep(1)  # requests still in flight when wrk stopped
        at_end = emails_by_status(database, page_id)
        if not worker_alongside:
            stack.enter_context(Worker(env, logfile))
        # How long until every confirmation is out.
        started = time.monotonic()
        while time.monotonic() - started < DRAIN_LIMIT:
            if not emails_by_status(database, page_id).get("pending"):
                break
            time.sleep(0.5)
        drain_seconds = time.monotonic() - started
    out = subprocess.run(
        [
            PY,
            "-c",
            "import django,json;django.setup();"
            "from forms_app.models import Registration as R;"
            f"q=R.objects.filter(page_id={page_id});"
            "print(json.dumps({'confirmed':q.filter(status='confirmed').count(),"
            "'all':q.count()}))",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    after = emails_by_status(database, page_id)

    def delta(statuses):
        keys = set(statuses) | set(before)
        return {key: statuses.get(key, 0) - before.get(key, 0) for key in keys}

    result.update(
        counts=counts,
        stored=json.loads(out),
        emails_at_end=delta(at_end),
        emails=delta(after),
        drain_seconds=drain_seconds,
        worker_alongside=worker_alongside,
        cpu={name: cpu_after[name] - cpu_before[name] for name in cpu_after},
    )
    return result


def admin_login():
    response, body = request("GET", "/admin/login/")
    jar = cookies_of(response)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    response, _ = request(
        "POST",
        "/admin/login/",
        body=urlencode({"username": "admin", "password": "changeme", "csrfmiddlewaretoken": token}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
        },
    )
    jar.update(cookies_of(response))
    assert "sessionid" in jar, "admin login failed"
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def admin_run(data, server):
    cookie = admin_login()
    headers = {"Cookie": cookie}
    timings = []
    for _ in range(6):
        started = time.perf_counter()
        response, body = request("GET", data["admin_list"], headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status == 200, response.status
    listing = load(data["admin_list"], connections=4, headers=[f"Cookie: {cookie}"])

    workers = server.workers()
    before = {pid: memory(pid, "VmRSS") for pid in workers}
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, PORT, timeout=300)
    conn.request("GET", data["admin_list"] + "?export=csv", headers=headers)
    response = conn.getresponse()
    first_byte = (time.perf_counter() - started) * 1000
    size = len(response.read())
    export_ms = (time.perf_counter() - started) * 1000
    conn.close()
    growth = max(memory(pid, "VmHWM") - before[pid] for pid in workers if pid in before)
    return {
        "first_page_ms": timings[0],
        "page_ms_median": statistics.median(timings[1:]),
        "listing": listing,
        "export_status": response.status,
        "export_ms": export_ms,
        "export_first_byte_ms": first_byte,
        "export_bytes": size,
        "export_rows": None,
        "memory_growth_mb": growth,
    }


def badge_run(env, data):
    """benchmarks/badges.py: 300 badges of the bench form, A6 and A4, in one process."""
    out = subprocess.run(
        [PY, str(BENCH / "badges.py"), str(data["badge_form_id"])],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    global HAVE_WRK
    HAVE_WRK = ensure_wrk()
    database = f"bench_{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    redis = redis_url()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PUBLIC_BASE_URL": f"http://{HOST}:{PORT}",
        "DATABASE_URL": f"{PG}/{database}",
        "DATABASE_CONN_MAX_AGE": "60",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        # Production refuses the development key; the demo's visa letter needs one.
        "VISA_DATA_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        # As deployed on more than one machine: emails go through the database task
        # queue to `run_worker` (README, "Worker").
        "TASKS_BACKEND": "database",
        "REGISTRATION_RATE_LIMIT": "100000000/60",
        "REDIS_URL": redis,
        "CACHE_KEY_PREFIX": database,
        "GUNICORN_BIND": f"{HOST}:{PORT}",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
        "PAGE_CACHE_SECONDS": "300",
    }
    logfile = workdir / "gunicorn.log"
    psql(f'CREATE DATABASE "{database}"')
    try:
        log(f"database {database}, cache {'Redis' if redis else 'local memory'}, workdir {workdir}")
        manage(env, "compile_catalogues")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        started = time.monotonic()
        manage(env, "load_demo")
        seed = subprocess.run(
            [PY, str(BENCH / "seed.py")], cwd=ROOT, env=env, check=True, capture_output=True
        )
        data = json.loads(seed.stdout.decode().strip().splitlines()[-1])
        # What autovacuum does soon after a bulk load in production: statistics and the
        # visibility map (index-only counts of registrations).
        psql("VACUUM ANALYZE", database)
        log(f"demo + bench data in {time.monotonic() - started:.0f}s: {data}")
        queries = subprocess.run(
            [PY, str(BENCH / "queries.py"), data["event"], data["home"], data["index"]],
            cwd=ROOT,
            env={**env, "PAGE_CACHE_SECONDS": "0"},
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split("\n")
        query_counts = {line.split()[0]: int(line.split()[2]) for line in queries if line}
        rows = {}
        log("8. 300 badges (before the servers start: nothing else on the CPUs)")
        rows["badges"] = badge_run(env, data)
        log(
            f"1-2. static file, whitenoise alone, event page cached: {ROUNDS} rounds "
            f"of {ROUND_SECONDS} s, each on servers started for it"
        )
        rows.update(
            interleaved(
                {
                    "static": lambda: load(data["static"], headers=BROWSER, seconds=ROUND_SECONDS),
                    "bare_static": lambda: load(
                        data["static"], port=BARE_PORT, headers=BROWSER, seconds=ROUND_SECONDS
                    ),
                    "bare_control": lambda: load(
                        data["static"], port=CONTROL_PORT, headers=BROWSER, seconds=ROUND_SECONDS
                    ),
                    "cached": lambda: load(data["event"], headers=BROWSER, seconds=ROUND_SECONDS),
                },
                each_round=lambda: fresh_stacks(env, logfile, data),
            )
        )
        with Server(env, logfile) as server:
            warm_up(data)
            rows["cached_identity"] = load(data["event"])
            with Proxy(env, workdir / "varnish.log"):
                for url in (data["event"], data["static"]):
                    request("GET", url, port=PROXY_PORT)
                hit, _ = request("GET", data["event"], port=PROXY_PORT)
                assert hit.getheader("X-Proxy-Cache") == "hit", hit.getheaders()
                log("7. static file and event page through Varnish")
                rows["proxy_static"] = load(data["static"], port=PROXY_PORT, headers=BROWSER)
                rows["proxy_cached"] = load(data["event"], port=PROXY_PORT, headers=BROWSER)
            log("5. registration POSTs")
            rows["register"] = registration_run(env, data, logfile, server, worker_alongside=False)
            log("5. registration POSTs, task worker alongside")
            rows["register_worker"] = registration_run(
                env, data, logfile, server, worker_alongside=True
            )
            log("6. admin list and export")
            rows["admin"] = admin_run(data, server)
        with Server({**env, "PAGE_CACHE_SECONDS": "0"}, logfile):
            for url in (data["event"], data["home"], data["index"]):
                request("GET", url)
            log("3. event page, uncached")
            rows["uncached"] = load(data["event"])
            log("4. home and events index, uncached")
            rows["home"] = load(data["home"])
            rows["index"] = load(data["index"])
        print(table(rows, data, query_counts))
    finally:
        psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if redis:
            drop_redis_keys(redis, database)
        shutil.rmtree(workdir, ignore_errors=True)


def registration_row(reg, data, base):
    counts, stored, emails = reg["counts"], reg["stored"], reg["emails"]
    per_second = counts["registered"] / SECONDS
    overbooked = stored["confirmed"] > data["capacity"]
    exact = stored["confirmed"] == min(data["capacity"], stored["all"])
    if reg["worker_alongside"]:
        name = "registration POSTs, 32 clients, task worker alongside"
        sending = (
            f"worker sent {reg['emails_at_end'].get('sent', 0)} confirmations during the "
            f"run, the rest {reg['drain_seconds']:.0f} s later"
        )
    else:
        name = "registration POSTs, 32 clients"
        sending = f"worker started after the run sent them in {reg['drain_seconds']:.0f} s"
    # CPU seconds per registration made, by process group (two vCPUs: 2 s a second).
    cpu = (
        ", ".join(
            f"{name} {seconds / max(counts['registered'], 1) * 1000:.1f} ms"
            for name, seconds in reg["cpu"].items()
            if name != "worker" or reg["worker_alongside"]
        )
        + " per registration"
    )
    return (
        f"| 5 | {name} | {reg['rps']:.0f} | {reg['p50']:.1f} | {reg['p99']:.1f} | "
        f"{reg['rps'] / base:.2f} | {per_second:.0f} registrations/s (target ≥ 150); "
        f"{counts['registered']} registered, {counts['full']} full (409), "
        f"errors {counts['errors']}; confirmed {stored['confirmed']} of capacity "
        f"{data['capacity']} (both runs): {'OVERBOOKED' if overbooked else 'not overbooked'}"
        f"{'' if exact else ', COUNT MISMATCH'}; emails: {sending}; "
        f"{emails.get('sent', 0)} sent, {emails.get('failed', 0)} failed, "
        f"{emails.get('pending', 0)} pending; CPU during the run: {cpu} |"
    )


def table(rows, data, queries):
    base = rows["static"]["rps"]
    lines = [
        f"wrk {SECONDS}s per row (rows 1-2: {ROUNDS} rounds of {ROUND_SECONDS}s in turn), "
        f"{CONNECTIONS} connections, gunicorn "
        f"{os.environ.get('WEB_CONCURRENCY') or 'default'} workers; "
        f"PostgreSQL, {'Redis' if os.environ.get('BENCH_REDIS_URL') or redis_url() else 'locmem'}",
        "",
        "| # | scenario | req/s | p50 ms | p99 ms | × (1) | notes |",
        "|---|---|---:|---:|---:|---:|---|",
    ]

    def row(n, name, r, notes=""):
        errors = r["non2xx"] + r["socket_errors"]
        extra = f"{notes}; " if notes else ""
        lines.append(
            f"| {n} | {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['rps'] / base:.2f} | {extra}errors {errors} |"
        )

    def rounds(r):
        return "rounds " + " / ".join(f"{rps:.0f}" for rps in r["rounds"])

    def paired(a, b):
        """The median over the rounds of a's req/s over b's in the same round (the two
        were measured seconds apart, so the machine's drift between rounds cancels), and
        the middle half of those ratios, which shows how far the median can be trusted."""
        ratios = [x / y for x, y in zip(a["rounds"], b["rounds"], strict=True)]
        low, _median, high = statistics.quantiles(ratios, n=4)
        return f"{statistics.median_low(ratios):.2f}× (middle half {low:.2f}–{high:.2f})"

    q = queries
    row(1, "static file (whitenoise)", rows["static"], rounds(rows["static"]))
    row(
        1,
        "static file, whitenoise alone (no Django)",
        rows["bare_static"],
        f"ours is {paired(rows['static'], rows['bare_static'])} this (median of the "
        "rounds' ratios); " + rounds(rows["bare_static"]),
    )
    row(
        1,
        "the same, a second whitenoise-alone server (control)",
        rows["bare_control"],
        f"{paired(rows['bare_control'], rows['bare_static'])} the first: two identical servers, "
        "how far apart this run measures the same thing; " + rounds(rows["bare_control"]),
    )
    cached = rows["cached"]
    row(
        2,
        "event page, cached",
        cached,
        f"{paired(cached, rows['static'])} the static file (median of the rounds' "
        f"ratios; target ≥ 1.0×); p99/p50 {cached['p99'] / cached['p50']:.1f}, worst round "
        f"{cached['worst_tail']:.1f} (target ≤ 3); " + rounds(cached),
    )
    row(2, "the same, to a client that accepts no compression", rows["cached_identity"])
    row(3, "event page, uncached", rows["uncached"], f"{q[data['event']]} queries (target ≤ 12)")
    row(4, "home page, uncached", rows["home"], f"{q[data['home']]} queries")
    row(4, "events index, uncached", rows["index"], f"{q[data['index']]} queries")
    for key in ("register", "register_worker"):
        lines.append(registration_row(rows[key], data, base))
    proxied = rows["proxy_cached"]
    row(
        7,
        "static file through Varnish",
        rows["proxy_static"],
    )
    row(
        7,
        "event page, cached, through Varnish",
        proxied,
        f"{proxied['rps'] / rows['proxy_static']['rps']:.2f}× the static file through Varnish;"
        f" p99/p50 {proxied['p99'] / proxied['p50']:.1f}",
    )
    adm = rows["admin"]
    row(
        6,
        f"admin registrations list ({data['registrations']:,} registrations)",
        adm["listing"],
        f"first page {adm['first_page_ms']:.0f} ms, then median {adm['page_ms_median']:.0f} ms"
        " (target < 300 ms)",
    )
    lines.append(
        f"| 6 | CSV export of {data['registrations']:,} registrations | – | – | – | – | "
        f"status {adm['export_status']}, {adm['export_ms']:.0f} ms "
        f"(first byte {adm['export_first_byte_ms']:.0f} ms), "
        f"{adm['export_bytes'] / 1e6:.1f} MB, worker peak memory growth "
        f"{adm['memory_growth_mb']:.1f} MiB (target < 50 MB) |"
    )
    badge = rows["badges"]
    lines.append(
        f"| 8 | {badge['badges']} badges (PDF, Urdu, Turkish and English names) | – | – | – | – | "
        f"A6 pages {badge['a6_s']:.1f} s, A4 label sheets {badge['a4_s']:.1f} s (target < 30 s); "
        f"first badge (cold) {badge['cold_first_badge_s']:.1f} s; "
        f"peak memory {badge['peak_rss_mib']} MiB |"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
