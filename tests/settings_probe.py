"""Fresh Python processes for the production-settings tests, without paying for a fresh
interpreter each time.

`Probe` starts one helper process (a fork server) that imports the heavy libraries which
read no settings (Django's ORM, forms, templates, test client, bs4, icalendar …) once,
with no settings module configured. Each request then forks a child of it, which sets
`os.environ` to exactly the environment given, runs the code (or `manage.py`) as
`python -c code` would, and exits (threads joined, exit handlers run, output flushed). The
child is a new process: `config.settings.*`, the project's apps, the app registry and the
settings are imported and set up there, under the environment given, as in a process of
its own; only library modules that do not look at settings are inherited. A child costs
about a third of a fresh interpreter (the project's models and apps are still loaded in
each: they depend on the settings).

Several jobs may run one after the other in one child (a batch), for steps that a
single process could do under the same environment; each job has its own stdout, stderr
and return code.

A server (gunicorn, for tests/app_processes.py) is started the same way by `spawn`, which
answers at once with the child's pid instead of waiting for it: the child runs in a
session of its own, its output appended to a log file, and the helper reaps it when it
ends (or stops it when the tests close the helper).
"""

import atexit
import builtins
import contextlib
import gc
import importlib.machinery
import json
import locale
import os
import runpy
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ("config", "home", "events", "forms_app")
# Imported once by the helper. None of them reads settings or the environment of the
# deployment when imported: the helper has no DJANGO_SETTINGS_MODULE, so one that did
# would fail here (and is then simply left to the child), and `serve` checks that the
# settings were not configured and that no project module was imported.
PREIMPORTS = (
    "django.db.models",
    "django.forms",
    "django.http",
    "django.urls",
    "django.template",
    "django.template.defaulttags",
    "django.template.loader_tags",
    "django.test",
    "django.test.runner",
    "django.core.management",
    "django.core.management.base",
    "django.core.serializers.json",
    "django.core.checks",
    "django.contrib.admin",
    "django.contrib.staticfiles.storage",
    "django.conf.locale",
    "dj_database_url",
    "csp.constants",
    "bs4",
    "icalendar",
    "requests",
    "PIL.Image",
    "redis",
    "pytest",
    "django.db.migrations.executor",
    "django.contrib.sessions.middleware",
    "django.contrib.sessions.backends.cached_db",
    "django.contrib.messages.middleware",
    "django.middleware.security",
    "django.middleware.csrf",
    "django.contrib.syndication.views",
    "django.contrib.postgres.forms",
    "django_tasks",
    "django_filters",
    "django_redis.cache",
    "filetype",
    "django.contrib.humanize.templatetags.humanize",
    "django.contrib.staticfiles.finders",
    "django.db.backends.sqlite3.base",
    "django.db.migrations.autodetector",
    "csp.middleware",
    "whitenoise.middleware",
    "defusedxml.ElementTree",
    "packaging.version",
)


# The helper process ---------------------------------------------------------------------


def main():
    """Entry point of the helper (`python -c "from tests.settings_probe import main;
    main()"`). `serve` returns only in a forked child, which then runs its batch and
    exits with the last job's return code."""
    request = serve()
    if request is not None:
        returncode = run_spawned(request) if request.get("spawn") else run_batch(request)
        # The interpreter's shutdown, less the teardown of every module (a tenth of a
        # second with Django and Wagtail loaded, and nothing a test could see): wait for
        # the job's threads, run its exit handlers (logging's flush among them), flush.
        threading._shutdown()
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(returncode)


def serve():
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        raise RuntimeError("the settings probe must start without DJANGO_SETTINGS_MODULE")
    # The protocol runs on private copies of stdin and stdout; fds 0 and 1 are left to
    # the jobs (stdin: nothing to read; stdout: redirected per job).
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    os.close(devnull)
    for name in PREIMPORTS:
        try:
            __import__(name)
        except Exception:  # noqa: BLE001,S112 (it reads settings: the child imports it)
            continue
    _check_nothing_configured()
    _keep_project_code()
    gc.freeze()
    sys.stdout.flush()
    sys.stderr.flush()
    spawned = set()
    while True:
        _reap(spawned)
        line = requests.readline()
        if not line:
            _stop(spawned)
            return None
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            requests.close()
            replies.close()
            return request
        if request.get("spawn"):
            # A server: the test side follows it by its pid; it is reaped here once it ends.
            spawned.add(pid)
            reply = {"pid": pid}
        else:
            reply = _wait(pid, request["timeout"])
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


def _reap(spawned):
    for pid in list(spawned):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            spawned.discard(pid)


def _stop(spawned, timeout=30):
    """At the helper's end, servers the tests left running are stopped (their sessions
    terminated, killed after `timeout` seconds), and reaped."""
    for pid in spawned:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
    for pid in spawned:
        if _wait(pid, timeout)["timed_out"]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
    spawned.clear()


def _check_nothing_configured():
    from django.apps import apps
    from django.conf import settings

    leaked = [name for name in sys.modules if name.split(".")[0] in PROJECT_PACKAGES]
    if settings.configured or apps.ready or leaked:
        raise RuntimeError(f"the settings probe configured something before forking: {leaked}")


# The project's modules are compiled in every child, as no .pyc file is written
# (PYTHONDONTWRITEBYTECODE): the helper compiles them once instead, without importing them,
# and a child uses that code while the file is unchanged (the check a .pyc file gets: its
# modification time and size), else compiles the file as usual.
_PROJECT_CODE = {}


class _ProjectCodeLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname):
        path = os.path.abspath(self.get_filename(fullname))
        if path in _PROJECT_CODE:
            signature, code = _PROJECT_CODE[path]
            if _signature(path) == signature:
                return code
        return super().get_code(fullname)


def _signature(path):
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _keep_project_code():
    for package in PROJECT_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            path = str(path)
            signature = _signature(path)
            with open(path, "rb") as source:
                code = compile(source.read(), path, "exec", dont_inherit=True)
            if signature is not None and _signature(path) == signature:
                _PROJECT_CODE[path] = (signature, code)
    machinery = importlib.machinery
    hook = machinery.FileFinder.path_hook(
        (machinery.ExtensionFileLoader, machinery.EXTENSION_SUFFIXES),
        (_ProjectCodeLoader, machinery.SOURCE_SUFFIXES),
        (machinery.SourcelessFileLoader, machinery.BYTECODE_SUFFIXES),
    )
    index = next(
        i for i, h in enumerate(sys.path_hooks) if "FileFinder" in getattr(h, "__name__", "")
    )
    sys.path_hooks[index] = hook
    sys.path_importer_cache.clear()


def _wait(pid, timeout):
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], timeout)
    finally:
        os.close(pidfd)
    timed_out = not ready
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return {"returncode": os.waitstatus_to_exitcode(status), "timed_out": timed_out}


def run_batch(request):
    """In the forked child: the environment given, then each job in turn."""
    os.environ.clear()
    os.environ.update(request["env"])
    directory = Path(request["directory"])
    returncode = 0
    for index, job in enumerate(request["jobs"]):
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, suffix in ((1, "out"), (2, "err")):
            target = os.open(directory / f"{index}.{suffix}", os.O_WRONLY | os.O_CREAT, 0o600)
            os.dup2(target, fd)
            os.close(target)
        returncode = run_job(job)
        sys.stdout.flush()
        sys.stderr.flush()
        (directory / f"{index}.rc").write_text(str(returncode))
    return returncode


def run_spawned(request):
    """In the forked child: a server (`Probe.spawn`) in a session of its own (so that a
    signal to its process group reaches its workers too), its output appended to its log."""
    os.setsid()
    os.environ.clear()
    os.environ.update(request["env"])
    log = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    return run_job(request["job"])


def run_job(job):
    """One job as its own interpreter would run it: `python -c code *args` or
    `python manage.py *args`. Returns the exit code."""
    try:
        if job["kind"] == "manage":
            sys.argv = ["manage.py", *job["args"]]
            sys.path[0] = str(ROOT)
            runpy.run_path("manage.py", run_name="__main__")
        else:
            sys.argv = ["-c", *job["args"]]
            sys.path[0] = ""
            module = types.ModuleType("__main__")
            module.__builtins__ = builtins
            sys.modules["__main__"] = module
            exec(compile(job["code"], "<string>", "exec"), module.__dict__)  # noqa: S102
    except SystemExit as exit:
        if exit.code is None:
            return 0
        if isinstance(exit.code, int):
            return exit.code
        print(exit.code, file=sys.stderr)
        return 1
    except BaseException:  # noqa: BLE001 (reported as the interpreter would)
        sys.excepthook(*sys.exc_info())
        return 1
    return 0


# The test side ---------------------------------------------------------------------------


def python_job(code, *args):
    return {"kind": "python", "code": code, "args": [str(arg) for arg in args]}


def manage_job(*args):
    return {"kind": "manage", "args": [str(arg) for arg in args]}


class Probe:
    """The helper process, started with `env` (less DJANGO_SETTINGS_MODULE): the
    environment every job's environment is a variation of."""

    def __init__(self, env):
        env = {key: value for key, value in env.items() if key != "DJANGO_SETTINGS_MODULE"}
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self._process = subprocess.Popen(
            [sys.executable, "-c", "from tests.settings_probe import main; main()"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            encoding="utf-8",
        )

    def run(self, env, jobs, timeout=120):
        """Run `jobs` one after the other in one fresh child process with environment
        `env`; a `subprocess.CompletedProcess` (text output) for each."""
        directory = tempfile.mkdtemp(prefix="settings-probe-")
        try:
            request = {"env": env, "jobs": jobs, "directory": directory, "timeout": timeout}
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
            if not line:
                raise RuntimeError(f"the settings probe stopped:\n{self._read_log()}")
            reply = json.loads(line)
            if reply["timed_out"]:
                raise subprocess.TimeoutExpired([_describe(job) for job in jobs], timeout)
            return self._results(Path(directory), jobs, reply["returncode"])
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    def run_python(self, code, env, *args, timeout=120):
        return self.run(env, [python_job(code, *args)], timeout=timeout)[0]

    def manage(self, *args, env, timeout=180):
        return self.run(env, [manage_job(*args)], timeout=timeout)[0]

    def spawn(self, env, job, log_path):
        """Start `job` (a server) in a fresh child process with environment `env`, its output
        appended to `log_path`, in a session of its own; returns its pid at once. The child
        is the helper's, not ours: follow it with `Spawned`."""
        request = {"env": env, "jobs": [], "spawn": True, "job": job, "log": str(log_path)}
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the settings probe stopped:\n{self._read_log()}")
        return json.loads(line)["pid"]

    def close(self):
        with contextlib.suppress(BrokenPipeError):
            self._process.stdin.close()  # the helper's cue to exit
        self._process.wait(timeout=30)
        self._process.stdout.close()
        self._log.close()

    def _results(self, directory, jobs, exit_code):
        results = []
        for index, job in enumerate(jobs):
            rc_file = directory / f"{index}.rc"
            last = index == len(jobs) - 1 or not rc_file.exists()
            # The last job's code is the process's: it includes the interpreter's shutdown
            # (and a crash, as a negative signal number).
            returncode = exit_code if last else int(rc_file.read_text())
            results.append(
                subprocess.CompletedProcess(
                    _describe(job),
                    returncode,
                    _text(directory / f"{index}.out"),
                    _text(directory / f"{index}.err"),
                )
            )
            if last:
                break
        if len(results) < len(jobs):
            raise RuntimeError(f"the batch ended after job {len(results) - 1}: {results[-1]}")
        return results

    def _read_log(self):
        self._log.seek(0)
        return self._log.read().decode(errors="replace")


class Spawned:
    """A process `Probe.spawn` started, with the part of `subprocess.Popen`'s interface that
    tests/app_processes.py uses. Not our child: its end is seen through a pidfd, and its exit
    status is the helper's to collect (`returncode` is -1 once it has ended)."""

    def __init__(self, pid, args):
        self.pid = pid
        self.args = args
        self.returncode = None
        self._pidfd = os.pidfd_open(pid)

    def poll(self):
        return self._ended(0)

    def wait(self, timeout=None):
        if self._ended(timeout) is None:
            raise subprocess.TimeoutExpired(self.args, timeout)
        return self.returncode

    def _ended(self, timeout):
        if self.returncode is None and select.select([self._pidfd], [], [], timeout)[0]:
            self.returncode = -1
            os.close(self._pidfd)
        return self.returncode


def _describe(job):
    if job["kind"] == "manage":
        return [sys.executable, "manage.py", *job["args"]]
    return [sys.executable, "-c", job["code"], *job["args"]]


def _text(path):
    """A file's bytes as `subprocess.run(..., text=True)` would give them."""
    if not path.exists():
        return ""
    text = path.read_bytes().decode(locale.getpreferredencoding(False))
    return text.replace("\r\n", "\n").replace("\r", "\n")
