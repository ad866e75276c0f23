#!/usr/bin/env python3
"""Shared helpers for the reliability scripts (standard library only).

- `Server`: starts the real `loupe` binary on a free port with a fresh data dir and database,
  parses the bootstrap credentials it prints on first start, restarts it on the same data,
  kills it, and checks its log for panics / stack overflows / aborts.
- `PgCluster`: a throwaway PostgreSQL cluster (initdb + pg_ctl, run as `postgres` when root),
  which can be stopped (`-m immediate`), restarted and frozen (SIGSTOP / SIGCONT).
- `http()`: a raw-socket HTTP/1.1 client that sends exactly the bytes asked for, reads the
  answer while the body is still being sent, and tells apart an answer, a hang (timeout) and a
  connection closed without any answer.
- `Api`: tokens, GraphQL, fixtures (sites, active surveys, Identify, API keys).

Run `python3 scripts/reliability/common.py --help` for the options every script shares;
`python3 scripts/reliability/common.py` alone starts a server, prints its URL and credentials
and stops it (a smoke test of these helpers).
"""

from __future__ import annotations

import argparse
import atexit
import base64
import collections
import glob
import hashlib
import hmac
import json
import os
import random
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_BIN = os.path.join(ROOT, "target", "debug", "loupe")
JWT_SECRET = "reliability-signing-secret-0123456789abcdef0123456789"

# What a crashed or panicking Rust process leaves on stderr.
PANIC_PATTERNS = [
    re.compile(p)
    for p in (
        r"panicked at",
        r"has overflowed its stack",
        r"fatal runtime error",
        r"stack overflow",
        r"SIGSEGV|SIGABRT|SIGBUS|Segmentation fault|Aborted \(core dumped\)",
        r"memory allocation of \d+ bytes failed",
    )
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def signal_name(returncode: int | None) -> str:
    if returncode is None:
        return "running"
    if returncode < 0:
        try:
            return signal.Signals(-returncode).name
        except ValueError:
            return f"signal {-returncode}"
    return f"exit {returncode}"


# --------------------------------------------------------------------------------------------
# Command line shared by every script
# --------------------------------------------------------------------------------------------


def add_common_args(p: argparse.ArgumentParser, postgres_only: bool = False) -> None:
    g = p.add_argument_group("server and database")
    g.add_argument(
        "--bin",
        default=os.environ.get("LOUPE_BIN", DEFAULT_BIN),
        help="the loupe binary (env LOUPE_BIN; default target/debug/loupe)",
    )
    if not postgres_only:
        g.add_argument(
            "--database-url",
            default=os.environ.get("RELIABILITY_DATABASE_URL", ""),
            help="PostgreSQL admin URL (a role that may CREATE DATABASE): the script creates a "
            "fresh database loupe_rel_<random> there with psql and drops it afterwards. "
            "Default: SQLite in a fresh temp dir",
        )
        g.add_argument(
            "--postgres",
            action="store_true",
            help="start a throwaway PostgreSQL cluster from /usr/lib/postgresql/*/bin "
            "(initdb + pg_ctl, like scripts/test) instead of SQLite",
        )
    g.add_argument("--workdir", help="keep data, logs and the database here (default: a temp dir, removed unless --keep)")
    g.add_argument("--keep", action="store_true", help="keep the temp dir (server logs) afterwards")
    g.add_argument("--rust-log", default=os.environ.get("RUST_LOG", "warn"), help="RUST_LOG for the server (default warn)")
    g.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for the server (repeatable), e.g. --env LOUPE_WORKERS=4",
    )


def parse_env(pairs: list[str]) -> dict[str, str]:
    out = {}
    for kv in pairs:
        k, _, v = kv.partition("=")
        out[k] = v
    return out


class Workdir:
    """A scratch directory, removed at the end unless kept."""

    def __init__(self, path: str | None, keep: bool, prefix: str):
        self.created = path is None
        self.path = path or tempfile.mkdtemp(prefix=f"loupe-{prefix}-")
        os.makedirs(self.path, exist_ok=True)
        self.keep = keep or not self.created

    def cleanup(self) -> None:
        if not self.keep:
            shutil.rmtree(self.path, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------


def pg_bin_dir() -> str | None:
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", d)])
    for d in reversed(dirs):
        if os.access(os.path.join(d, "initdb"), os.X_OK):
            return d
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl and os.access(os.path.join(os.path.dirname(pg_ctl), "initdb"), os.X_OK):
        return os.path.dirname(pg_ctl)
    return None


def with_db_name(url: str, name: str) -> str:
    base, sep, query = url.partition("?")
    scheme_end = base.find("://") + 3 if "://" in base else 0
    slash = base.find("/", scheme_end)
    if slash >= 0:
        base = base[:slash]
    return f"{base}/{name}" + (f"?{query}" if sep else "")


def psql(admin_url: str, sql: str, timeout: float = 60) -> str:
    if not shutil.which("psql"):
        raise RuntimeError("psql is needed for PostgreSQL (apt-get install postgresql-client)")
    out = subprocess.run(
        ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", admin_url, "-c", sql],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"psql failed: {out.stderr.strip()}")
    return out.stdout


class PgCluster:
    """A throwaway PostgreSQL cluster (as `postgres` via runuser when run as root)."""

    def __init__(self, workdir: str, max_connections: int = 300, fsync: bool = True):
        self.bin = pg_bin_dir()
        if not self.bin:
            raise RuntimeError(
                "PostgreSQL binaries not found in /usr/lib/postgresql/*/bin "
                "(Debian: apt-get install -y postgresql), or pass --database-url"
            )
        self.dir = os.path.join(workdir, "pg")
        os.makedirs(self.dir, exist_ok=True)
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.as_pg: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            os.chmod(workdir, 0o755)
            self.as_pg = ["runuser", "-u", "postgres", "--"]
        self.max_connections = max_connections
        self.fsync = fsync
        out = subprocess.run(
            self.as_pg + [f"{self.bin}/initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync"],
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            raise RuntimeError(f"initdb failed: {out.stdout}{out.stderr}")
        atexit.register(self.destroy)  # never leave a cluster running
        self.start()

    @property
    def admin_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        out = subprocess.run(self.as_pg + [f"{self.bin}/pg_ctl", "-D", self.data, *args], capture_output=True, text=True)
        if check and out.returncode != 0:
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {out.stdout}{out.stderr}")
        return out

    def start(self) -> None:
        opts = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            f"-c max_connections={self.max_connections} -c fsync={'on' if self.fsync else 'off'}"
        )
        self._ctl("-l", os.path.join(self.dir, "server.log"), "-w", "-t", "60", "-o", opts, "start")

    def stop(self, mode: str = "immediate") -> None:
        self._ctl("-m", mode, "-w", "stop", check=False)

    def pids(self) -> list[int]:
        """The postmaster and its children (to freeze them all)."""
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as f:
                master = int(f.readline().strip())
        except (OSError, ValueError):
            return []
        pids = [master]
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                with open(stat) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == master:
                    pids.append(int(stat.split("/")[2]))
            except (OSError, IndexError, ValueError):
                pass
        return pids

    def freeze(self) -> list[int]:
        pids = self.pids()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGSTOP)
            except OSError:
                pass
        return pids

    def thaw(self, pids: list[int]) -> None:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGCONT)
            except OSError:
                pass

    def destroy(self) -> None:
        self.thaw(self.pids())
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self.stop("immediate")


class Database:
    """The database a script's server uses: SQLite in the workdir, a fresh database on a given
    PostgreSQL server, or a fresh database in a throwaway cluster."""

    def __init__(self, args: argparse.Namespace, workdir: str, want_postgres: bool = False):
        self.cluster: PgCluster | None = None
        self.admin_url: str | None = None
        self.name: str | None = None
        admin = getattr(args, "database_url", "") or ""
        if admin and not admin.startswith(("postgres://", "postgresql://")):
            raise SystemExit("--database-url must be a postgres:// URL (SQLite is the default)")
        if not admin and (want_postgres or getattr(args, "postgres", False)):
            self.cluster = PgCluster(workdir)
            admin = self.cluster.admin_url
        if admin:
            self.admin_url = admin
            self.name = f"loupe_rel_{uuid.uuid4().hex[:12]}"
            psql(admin, f'CREATE DATABASE "{self.name}"')
            self.url = with_db_name(admin, self.name)
            self.kind = "postgres"
        else:
            self.url = f"sqlite://{os.path.join(workdir, 'data', 'loupe.db')}?mode=rwc"
            self.kind = "sqlite"

    def query(self, sql: str) -> list[tuple]:
        """Runs a read query directly on the database (rows of strings)."""
        if self.kind == "sqlite":
            import sqlite3

            path = self.url[len("sqlite://"):].split("?")[0]
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
            try:
                return [tuple("" if v is None else str(v) for v in r) for r in con.execute(sql).fetchall()]
            finally:
                con.close()
        out = psql(self.url, sql)
        return [tuple(line.split("|")) for line in out.splitlines() if line]

    def cleanup(self) -> None:
        if self.admin_url and self.name and not self.cluster:
            try:
                psql(self.admin_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            except Exception as e:  # noqa: BLE001
                log(f"note: could not drop database {self.name}: {e}")
        if self.cluster:
            self.cluster.destroy()


# --------------------------------------------------------------------------------------------
# The server process
# --------------------------------------------------------------------------------------------


class Server:
    """The real `loupe serve` binary on a fixed free port, restartable on the same data."""

    def __init__(self, bin_path: str, workdir: str, db_url: str, env: dict[str, str] | None = None, rust_log: str = "warn"):
        if not os.access(bin_path, os.X_OK):
            raise SystemExit(f"loupe binary not found at {bin_path} (cargo build, or --bin / LOUPE_BIN)")
        self.bin = bin_path
        self.workdir = workdir
        self.data_dir = os.path.join(workdir, "data")
        os.makedirs(self.data_dir, exist_ok=True)
        self.db_url = db_url
        self.port = free_port()
        self.env = dict(env or {})
        self.rust_log = rust_log
        self.log_path = os.path.join(workdir, "server.log")
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.creds: tuple[str, str] | None = None
        self.log_offset = 0
        self.deaths: list[str] = []  # how each unexpected death looked
        self._atexit = False

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def start(self, timeout: float = 120) -> None:
        self.starts += 1
        env = dict(os.environ)
        env.update(
            {
                "LOUPE_BIND": f"127.0.0.1:{self.port}",
                "LOUPE_DATA_DIR": self.data_dir,
                "DATABASE_URL": self.db_url,
                "LOUPE_JWT_SECRET": JWT_SECRET,
                "LOUPE_SENTIMENT_WORKER": "false",
                "RUST_LOG": self.rust_log,
                "RUST_BACKTRACE": "0",
            }
        )
        env.update(self.env)
        stdout_path = os.path.join(self.workdir, f"server.stdout.{self.starts}")
        with open(self.log_path, "a") as f:
            f.write(f"\n=== reliability: start {self.starts} at {time.strftime('%H:%M:%S')} ===\n")
        for attempt in range(3):
            out = open(stdout_path, "wb")
            err = open(self.log_path, "ab")
            self.proc = subprocess.Popen([self.bin, "serve"], env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
            if not self._atexit:
                atexit.register(self.kill)  # never leave a server behind, whatever happens
                self._atexit = True
            out.close()
            err.close()
            deadline = time.time() + timeout
            while time.time() < deadline:
                with open(stdout_path, "rb") as f:
                    text = f.read().decode("utf-8", "replace")
                if "Loupe listening on" in text:
                    m_id = re.search(r"client id:\s*(\S+)", text)
                    m_secret = re.search(r"client secret:\s*(\S+)", text)
                    if m_id and m_secret:
                        self.creds = (m_id.group(1), m_secret.group(1))
                    with open(self.log_path, "rb") as f:
                        f.seek(0, 2)
                        self.log_offset = f.tell()
                    return
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
            rc = self.proc.poll()
            if rc is None:
                self.kill()
                raise RuntimeError(f"loupe did not start within {timeout}s (log: {self.log_path})")
            tail = self.log_tail(2000)
            if "Address already in use" in tail or "address in use" in tail.lower():
                self.port = free_port()
                continue
            raise RuntimeError(f"loupe exited during start ({signal_name(rc)}); log tail:\n{tail}")
        raise RuntimeError("loupe could not bind a port")

    def log_tail(self, n: int = 4000) -> str:
        try:
            with open(self.log_path, "rb") as f:
                f.seek(0, 2)
                size = f.tell()
                f.seek(max(0, size - n))
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc and self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, sig)
            except OSError:
                pass
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def stop(self) -> None:
        """SIGTERM (graceful), SIGKILL after 10 s."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        self.kill()
        self.start()

    def new_log_problems(self) -> list[str]:
        """Panic / overflow / abort lines written to the log since the last call."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(self.log_offset)
                chunk = f.read()
                self.log_offset = f.tell()
        except OSError:
            return []
        if not chunk:
            return []
        text = chunk.decode("utf-8", "replace")
        return [line.strip()[:300] for line in text.splitlines() if any(p.search(line) for p in PANIC_PATTERNS)]

    def rss_kib(self) -> int | None:
        if not self.proc:
            return None
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def check_health(self) -> tuple[bool, str]:
        """(healthy, description): the process runs, the log shows no panic, /healthz answers."""
        problems = self.new_log_problems()
        if not self.alive():
            rc = self.proc.returncode if self.proc else None
            return False, f"process died ({signal_name(rc)})" + (f": {problems[0]}" if problems else "")
        if problems:
            return False, f"log: {problems[0]}"
        r = http(self.port, "GET", "/healthz", timeout=10)
        if r.status != 200:
            return False, f"/healthz answered {r.describe()}"
        return True, "ok"


# --------------------------------------------------------------------------------------------
# A raw HTTP/1.1 client
# --------------------------------------------------------------------------------------------


class Reply:
    __slots__ = ("status", "headers", "body", "elapsed", "outcome", "error", "sent_all", "header_map")

    def __init__(self):
        self.status = 0
        self.headers: list[tuple[str, str]] = []
        self.body = b""
        self.elapsed = 0.0
        # "answer" | "empty_close" (closed or reset without a byte) | "timeout" (no complete
        # answer in time) | "partial" (closed mid-answer) | "refused" (nothing listening)
        self.outcome = "answer"
        self.error = ""
        self.sent_all = True
        self.header_map: dict[str, str] = {}

    def header(self, name: str) -> str | None:
        return self.header_map.get(name.lower())

    def json(self):
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None

    def describe(self) -> str:
        if self.outcome == "answer":
            return str(self.status)
        return f"{self.outcome}{' (' + self.error + ')' if self.error else ''}"


def build_request(
    method: str,
    path: str,
    headers: dict[str, str] | list[tuple[str, str]] | None = None,
    body: bytes | None = None,
    host: str = "127.0.0.1",
    content_length: bool = True,
    close: bool = True,
    version: str = "HTTP/1.1",
) -> bytes:
    hs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
    names = {k.lower() for k, _ in hs}
    lines = [f"{method} {path} {version}".encode("latin-1", "replace") if isinstance(path, str) else method.encode() + b" " + path + b" " + version.encode()]
    if "host" not in names:
        hs.insert(0, ("Host", host))
    if close and "connection" not in names:
        hs.append(("Connection", "close"))
    if body is not None and content_length and "content-length" not in names and "transfer-encoding" not in names:
        hs.append(("Content-Length", str(len(body))))
    for k, v in hs:
        if v is None:
            continue
        kb = k if isinstance(k, bytes) else k.encode("latin-1", "replace")
        vb = v if isinstance(v, bytes) else v.encode("utf-8")
        lines.append(kb + b": " + vb)
    return b"\r\n".join(lines) + b"\r\n\r\n" + (body or b"")


def _parse_reply(buf: bytes, r: Reply, eof: bool, is_head: bool = False) -> bool:
    """Whether `buf` holds a complete answer (fills `r`)."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return False
    head = buf[:end].decode("latin-1")
    lines = head.split("\r\n")
    parts = lines[0].split(" ", 2)
    try:
        r.status = int(parts[1])
    except (IndexError, ValueError):
        r.status = -1
    r.headers = []
    for line in lines[1:]:
        k, _, v = line.partition(":")
        r.headers.append((k.strip(), v.strip()))
    r.header_map = {k.lower(): v for k, v in r.headers}
    rest = buf[end + 4:]
    if 100 <= r.status < 200 and r.status != 101:
        # An interim answer (100 Continue): look for the final one after it.
        return _parse_reply(rest, r, eof, is_head) if rest else False
    te = r.header_map.get("transfer-encoding", "").lower()
    cl = r.header_map.get("content-length")
    if r.status in (204, 304) or is_head:
        r.body = b""
        return True
    if "chunked" in te:
        body = b""
        pos = 0
        while True:
            nl = rest.find(b"\r\n", pos)
            if nl < 0:
                return eof and _fail_partial(r, body)
            try:
                size = int(rest[pos:nl].split(b";")[0], 16)
            except ValueError:
                r.body = body
                return True
            if size == 0:
                r.body = body
                return True
            if len(rest) < nl + 2 + size + 2:
                return eof and _fail_partial(r, body)
            body += rest[nl + 2: nl + 2 + size]
            pos = nl + 2 + size + 2
    if cl is not None:
        try:
            n = int(cl)
        except ValueError:
            n = 0
        if len(rest) >= n:
            r.body = rest[:n]
            return True
        return eof and _fail_partial(r, rest)
    if eof:
        r.body = rest
        return True
    return False


def _fail_partial(r: Reply, body: bytes) -> bool:
    r.body = body
    r.outcome = "partial"
    r.error = "closed mid-answer"
    return True


def http(
    port: int,
    method: str = "GET",
    path: str = "/",
    body: bytes | str | None = None,
    headers: dict | list | None = None,
    timeout: float = 15.0,
    raw: bytes | None = None,
    stall_after: int | None = None,
    host: str = "127.0.0.1",
) -> Reply:
    """One request on a new connection. `raw`: send exactly these bytes. `stall_after`: send
    only that many bytes, then wait (a slow client) until an answer, a close or the timeout."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    data = raw if raw is not None else build_request(method, path, headers, body)
    if stall_after is not None:
        data = data[:stall_after]
    r = Reply()
    head = data[:5] == b"HEAD "
    t0 = time.monotonic()
    deadline = t0 + timeout
    try:
        sock = socket.create_connection((host, port), timeout=min(timeout, 10))
    except ConnectionRefusedError as e:
        r.outcome, r.error, r.elapsed = "refused", str(e), time.monotonic() - t0
        return r
    except OSError as e:
        r.outcome, r.error, r.elapsed = "timeout" if isinstance(e, socket.timeout) else "refused", str(e), time.monotonic() - t0
        return r
    sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sent = 0
    buf = b""
    write_open = True
    try:
        sel.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
        while True:
            now = time.monotonic()
            if now >= deadline:
                r.outcome = "timeout"
                r.error = f"no complete answer in {timeout:.0f}s" + ("" if sent >= len(data) else f", {sent}/{len(data)} bytes accepted")
                break
            want_write = write_open and sent < len(data)
            sel.modify(sock, selectors.EVENT_READ | (selectors.EVENT_WRITE if want_write else 0))
            events = sel.select(timeout=min(1.0, deadline - now))
            done = False
            for _, mask in events:
                if mask & selectors.EVENT_WRITE and want_write:
                    try:
                        sent += sock.send(data[sent: sent + 262144])
                    except (BrokenPipeError, ConnectionResetError):
                        write_open = False
                    except BlockingIOError:
                        pass
                if mask & selectors.EVENT_READ:
                    try:
                        chunk = sock.recv(262144)
                    except BlockingIOError:
                        continue
                    except ConnectionResetError:
                        chunk = None
                        if not buf:
                            r.outcome, r.error = "empty_close", "connection reset"
                            done = True
                        elif not _parse_reply(buf, r, True, head):
                            r.outcome, r.error = "partial", "reset mid-answer"
                        done = True
                    if chunk is None:
                        break
                    if not chunk:
                        if not buf:
                            r.outcome, r.error = "empty_close", "closed without an answer"
                        elif not _parse_reply(buf, r, True, head):
                            r.outcome, r.error = "partial", "closed mid-answer"
                        done = True
                        break
                    buf += chunk
                    if _parse_reply(buf, r, False, head):
                        done = True
                        break
            if done:
                break
    finally:
        sel.close()
        sock.close()
    r.sent_all = sent >= len(data)
    r.elapsed = time.monotonic() - t0
    return r


def json_body(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


# --------------------------------------------------------------------------------------------
# The API
# --------------------------------------------------------------------------------------------


class ApiError(RuntimeError):
    pass


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge_jwt(claims: dict | str | bytes, header: dict | None = None, secret: str = JWT_SECRET) -> str:
    """An HS256 token signed with the server's secret (claims as given: any types)."""
    h = b64url(json.dumps(header or {"typ": "JWT", "alg": "HS256"}).encode())
    if isinstance(claims, dict):
        p = b64url(json.dumps(claims).encode())
    else:
        p = b64url(claims if isinstance(claims, bytes) else claims.encode())
    sig = hmac.new(secret.encode(), f"{h}.{p}".encode(), hashlib.sha256).digest()
    return f"{h}.{p}.{b64url(sig)}"


def jwt_claims(token: str) -> dict:
    p = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))


class Api:
    def __init__(self, server: Server):
        self.server = server

    @property
    def port(self) -> int:
        return self.server.port

    def token(self, client_id: str, secret: str) -> str:
        body = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
        for _ in range(10):
            r = http(self.port, "POST", "/oauth/token", body, {"Content-Type": "application/x-www-form-urlencoded"}, timeout=60)
            if r.status == 200:
                return r.json()["access_token"]
            if r.status in (503, 0):
                time.sleep(1)
                continue
            break
        raise ApiError(f"token request failed: {r.describe()} {r.body[:300]!r}")

    def gql_raw(self, token: str | None, query: str, variables: dict | None = None, timeout: float = 60) -> Reply:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return http(self.port, "POST", "/graphql", json_body({"query": query, "variables": variables or {}}), headers, timeout=timeout)

    def gql(self, token: str, query: str, variables: dict | None = None, timeout: float = 60) -> dict:
        r = self.gql_raw(token, query, variables, timeout)
        b = r.json()
        if r.status != 200 or not isinstance(b, dict) or b.get("errors"):
            raise ApiError(f"GraphQL failed ({r.describe()}): {r.body[:500]!r}")
        return b["data"]

    def rest(self, token: str, path: str, timeout: float = 60) -> Reply:
        return http(self.port, "GET", path, None, {"Authorization": f"Bearer {token}"}, timeout=timeout)

    def create_key(self, token: str, role: str = "ADMIN", name: str = "reliability") -> tuple[str, str]:
        d = self.gql(
            token,
            "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { clientId clientSecret } }",
            {"input": {"name": name, "role": role}},
        )
        return d["createApiKey"]["clientId"], d["createApiKey"]["clientSecret"]

    def create_site(self, token: str, name: str = "Reliability", domains: list[str] | None = None) -> str:
        d = self.gql(
            token,
            "mutation($input: CreateSiteInput!) { createSite(input: $input) { id } }",
            {"input": {"name": name, "allowedDomains": domains or ["localhost", "shop.example"]}},
        )
        return d["createSite"]["id"]

    def active_survey(self, token: str, input_: dict) -> tuple[str, list[int]]:
        """Creates a survey from a CreateSurveyInput (siteId defaults to "1") and activates it."""
        input_ = dict(input_)
        input_.setdefault("siteId", "1")
        input_.setdefault("name", "Reliability survey")
        d = self.gql(
            token,
            "mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { id questions { id } } }",
            {"input": input_},
        )
        sid = d["createSurvey"]["id"]
        qids = [int(q["id"]) for q in d["createSurvey"]["questions"]]
        d = self.gql(token, "mutation($id: ID!) { setSurveyStatus(id: $id, status: ACTIVE) { status } }", {"id": sid})
        if d["setSurveyStatus"]["status"] != "ACTIVE":
            raise ApiError(f"survey {sid} not active: {d}")
        return sid, qids

    def enable_identify(self, token: str, site: str) -> None:
        self.gql(token, "mutation { acceptDataProcessingAgreement { id } }")
        self.gql(
            token,
            "mutation($id: ID!) { updateSite(id: $id, input: {identifyEnabled: true}) { identifyEnabled } }",
            {"id": str(site)},
        )

    def set_sentiment(self, token: str, survey: str, enabled: bool = True) -> None:
        self.gql(token, "mutation($id: ID!, $on: Boolean!) { setSurveySentiment(id: $id, enabled: $on) { id } }", {"id": survey, "on": enabled})


ALL_TYPES_SURVEY = {
    "kind": "SURVEY",
    "questions": [
        {"key": "short", "type": "SHORT_TEXT", "prompt": "Short?"},
        {"key": "long", "type": "LONG_TEXT", "prompt": "Long?"},
        {"key": "single", "type": "SINGLE_CHOICE", "prompt": "One?", "options": ["A", "B", "C"], "allowOther": True},
        {"key": "multi", "type": "MULTIPLE_CHOICE", "prompt": "Many?", "options": ["X", "Y", "Z"], "allowOther": True},
        {"key": "nps", "type": "NPS", "prompt": "Recommend?"},
        {"key": "rating", "type": "RATING", "prompt": "Rate?", "scaleMax": 5},
        {"key": "email", "type": "EMAIL", "prompt": "Email?"},
    ],
}


def valid_answers(qids: list[int], text: str = "Works well") -> list[dict]:
    """One valid answer per question of ALL_TYPES_SURVEY."""
    short, long_, single, multi, nps, rating, email = qids[:7]
    return [
        {"question_id": short, "value": text[:500]},
        {"question_id": long_, "value": text},
        {"question_id": single, "value": "A"},
        {"question_id": multi, "value": ["X", "Z"]},
        {"question_id": nps, "value": 9, "comment": "fine"},
        {"question_id": rating, "value": 4},
        {"question_id": email, "value": "ann@example.org"},
    ]


def rrweb_batch(visitor: str, sequence: int, n: int = 3, ts: int = 1760000000000, pad: int = 0) -> dict:
    """A small, valid batch of rrweb events (Meta first for sequence 0)."""
    events = []
    if sequence == 0:
        events.append({"type": 4, "timestamp": ts, "data": {"href": "https://shop.example/", "width": 1280, "height": 720}})
    for i in range(n):
        events.append(
            {
                "type": 3,
                "timestamp": ts + sequence * 1000 + i + 1,
                "data": {"source": 1, "positions": [{"x": i, "y": i * 2, "id": 5, "timeOffset": 0}], "pad": "x" * pad},
            }
        )
    return {"visitor_id": visitor, "sequence": sequence, "events": events}


def histogram(counter: collections.Counter) -> str:
    return " ".join(f"{k}:{v}" for k, v in sorted(counter.items(), key=lambda kv: str(kv[0]))) or "-"


def setup_server(args: argparse.Namespace, prefix: str, env: dict[str, str] | None = None, want_postgres: bool = False):
    """(workdir, database, server, api, admin token) for a script, server started."""
    wd = Workdir(args.workdir, args.keep, prefix)
    db = Database(args, wd.path, want_postgres=want_postgres)
    e = dict(env or {})
    e.update(parse_env(args.env))
    server = Server(args.bin, wd.path, db.url, e, args.rust_log)
    try:
        server.start()
        if not server.creds:
            raise SystemExit("the server did not print bootstrap credentials (not a fresh database?)")
        api = Api(server)
        token = api.token(*server.creds)
    except BaseException:
        server.kill()
        db.cleanup()
        wd.keep = True
        raise
    return wd, db, server, api, token


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(p)
    args = p.parse_args()
    wd, db, server, api, token = setup_server(args, "common")
    try:
        d = api.gql(token, "{ viewer { role organization { name plan } } }")
        print(f"common: server {server.base} pid {server.pid} ({db.kind}), client id {server.creds[0]}, viewer {json.dumps(d['viewer'])} -> PASS")
        return 0
    finally:
        server.stop()
        db.cleanup()
        wd.cleanup()


if __name__ == "__main__":
    sys.exit(main())
