#!/usr/bin/env python3
"""Benchmark xaas against the sqlite3 shell on a generated service list.

Run through examples/bench.sh (it installs what is missing and builds the
release binary). Standard library only.

Each operation runs --runs times, xaas and its sqlite3 baseline
interleaved (A, B, A, B, ...) so that the noise of a small machine falls on
both; the table shows medians. Wall time is measured around the child
process; peak memory is its maximum resident set size as `/usr/bin/time`
reports it, from one more run under it (it adds about a millisecond, so the
timed runs go without it).
"""

import argparse
import csv
import hashlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TODAY = "2026-11-23"


RSS_FILE = os.path.join("/tmp", f"xaas-bench-rss-{os.getpid()}")


def run(cmd, env=None):
    """Runs cmd; returns its wall time in seconds."""
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    took = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr.decode(errors='replace')}")
    return took


def peak(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns its peak RSS in MB."""
    timed = ["/usr/bin/time", "-f", "%M", "-o", RSS_FILE, *cmd]
    p = subprocess.run(timed, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr.decode(errors='replace')}")
    with open(RSS_FILE) as f:
        return int(f.read().split()[-1]) / 1024


def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


class Bench:
    def __init__(self, args):
        self.args = args
        self.data = os.path.abspath(args.data)
        os.makedirs(self.data, exist_ok=True)
        self.csv = os.path.join(self.data, f"services-{args.rows}.csv")
        self.db = os.path.join(self.data, "xaas.db")
        self.flat = os.path.join(self.data, "flat.db")
        self.xaas = os.path.join(ROOT, "target", "release", "xaas")
        self.env = dict(os.environ, XAAS_DB=self.db, XAAS_TODAY=TODAY)
        self.env.pop("XAAS_CSM", None)
        self.rows = []

    def x(self, *args):
        return [self.xaas, *args]

    def sq(self, *args):
        return ["sqlite3", *args]

    def generate(self):
        if os.path.exists(self.csv):
            return
        print(f"generating {self.args.rows:,} services ...", file=sys.stderr)
        tmp = self.csv + ".tmp"
        subprocess.run(
            [
                sys.executable,
                self.args.gen,
                "--rows",
                str(self.args.rows),
                "--today",
                TODAY,
                "-o",
                tmp,
            ],
            check=True,
        )
        os.replace(tmp, self.csv)

    def pair(self, name, a, b, budget, before_a=None, before_b=None):
        """Times a (xaas) and b (baseline) interleaved; b may be None."""
        ta, tb = [], []
        for _ in range(self.args.runs):
            if before_a:
                before_a()
            ta.append(run(a, env=self.env))
            if b:
                if before_b:
                    before_b()
                tb.append(run(b, env=self.env))
        if before_a:
            before_a()
        self.add(name, ta, tb, peak(a, env=self.env), budget)

    def add(self, name, ta, tb, mem, budget):
        a = statistics.median(ta)
        b = statistics.median(tb) if tb else None
        kind, limit = budget
        if kind == "ratio":
            ratio = a / b
            ok = ratio <= limit
            shown = f"≤ {limit:g}×"
        elif kind == "none":
            # Measured and reported; the SPEC sets no budget.
            ratio = None
            ok = True
            shown = "none"
        else:
            ratio = None
            ok = a * 1000 < limit
            shown = f"< {limit:g} ms"
        self.rows.append((name, a, b, ratio, shown, ok, mem))
        sys.stderr.write(f"  {name}: {a * 1000:.0f} ms\n")

    def round_trip(self):
        """Export gives back the imported services: hash of sorted rows."""
        with open(self.csv, newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            header = next(r)
            want = sorted(tuple(row) for row in r)
        out = subprocess.run(
            self.x("export"), env=self.env, check=True, capture_output=True
        ).stdout.decode("utf-8")
        r = csv.reader(io.StringIO(out))
        got_header = next(r)
        idx = [got_header.index(h) for h in header]
        got = sorted(tuple(row[i] for i in idx) for row in r)

        def digest(rows):
            h = hashlib.sha256()
            for row in rows:
                h.update("\x1f".join(row).encode())
                h.update(b"\n")
            return h.hexdigest()

        return len(want), digest(want) == digest(got)

    def main(self):
        self.generate()
        csv_path = self.csv
        print(f"data: {csv_path}", file=sys.stderr)

        def fresh_xaas():
            remove_db(self.db)

        def fresh_flat():
            remove_db(self.flat)

        self.pair(
            "import (empty database)",
            self.x("import", csv_path),
            self.sq(self.flat, ".import --csv " + csv_path + " t"),
            ("ratio", 1.25),
            before_a=fresh_xaas,
            before_b=fresh_flat,
        )
        first = statistics.median([r[1] for r in self.rows[-1:]])
        # Re-import against the first import's median.
        ta = [run(self.x("import", csv_path), env=self.env) for _ in range(self.args.runs)]
        mem = peak(self.x("import", csv_path), env=self.env)
        self.add("re-import (unchanged)", ta, [first], mem, ("ratio", 1.0))

        due_sql = (
            "select * from t where expiry_date between '2026-11-23' and '2026-12-23'"
            " order by expiry_date, service_id"
        )
        self.pair(
            "due --within 30 --format csv",
            self.x("due", "--within", "30", "--format", "csv"),
            self.sq("-csv", "-header", self.flat, due_sql),
            ("ratio", 1.5),
        )
        self.pair("list (first page)", self.x("list", "--format", "tsv"), None, ("ms", 50))
        self.pair(
            "show CUSTOMER",
            self.x("show", "C0000042", "--format", "tsv"),
            None,
            ("ms", 50),
        )
        self.pair("stats", self.x("stats", "--json"), None, ("ms", 300))
        self.pair("stats --by csm", self.x("stats", "--json", "--by", "csm"), None, ("ms", 500))
        self.pair(
            "export (CSV to /dev/null)",
            self.x("export"),
            self.sq("-csv", "-header", self.flat, "select * from t"),
            ("ratio", 1.0),
        )
        # A workbook of the same rows (constant-memory writer): no budget
        # in the SPEC, so time and peak RSS are reported only.
        self.pair(
            "export -o FILE.xlsx",
            self.x("export", "-o", os.path.join(self.data, "export.xlsx")),
            None,
            ("none", None),
        )
        # The renewal cohort of the last 12 months, against an export of
        # the services expiring in the same span (as many rows: the bench
        # book has no renewals yet).
        self.pair(
            "outcomes (12-month cohort, CSV)",
            self.x("outcomes", "--format", "csv"),
            self.x("export", "--expires-after", "2025-11-24", "--expires-before", TODAY),
            ("ratio", 1.5),
        )
        self.pair(
            "startup (open, one small query)",
            self.x("list", "--customer", "C0000001", "--format", "tsv"),
            None,
            ("ms", 5),
        )

        n, same = self.round_trip()
        self.health()
        self.team()
        self.report(n, same)

    def team_only(self):
        """`--team-only`: the file imported once, then the team rows."""
        self.generate()
        remove_db(self.db)
        run(self.x("import", self.csv), env=self.env)
        self.team()
        self.report(*self.round_trip())

    def team(self):
        """SPEC "Team mode": a throwaway PostgreSQL on loopback. Import
        against `psql \\copy` of the same file into a flat table; due,
        list, show and stats against the same commands on the file."""
        server = PgServer()
        try:
            self.team_rows(server)
        finally:
            server.stop()

    def team_rows(self, server):
        header = next(csv.reader(open(self.csv, newline="", encoding="utf-8")))
        flat_cols = ", ".join(f'"{h}" text' for h in header)
        team_env = dict(self.env, XAAS_DB=server.url("bench_team"))

        def fresh_team():
            server.fresh("bench_team")
            run(self.x("team", "init"), env=team_env)

        def fresh_flat():
            server.fresh("bench_flat")
            run(server.psql("bench_flat", f"CREATE TABLE t ({flat_cols})"))

        copy = server.psql("bench_flat", f"\\copy t from '{self.csv}' csv header")
        ta, tb = [], []
        for _ in range(self.args.runs):
            fresh_team()
            ta.append(run(self.x("import", self.csv), env=team_env))
            fresh_flat()
            tb.append(run(copy))
        fresh_team()
        self.add("team: import (empty database)", ta, tb, peak(self.x("import", self.csv), env=team_env), ("ratio", 1.5))

        def both(name, *args):
            ta, tb = [], []
            for _ in range(self.args.runs):
                ta.append(run(self.x(*args), env=team_env))
                tb.append(run(self.x(*args), env=self.env))
            self.add(f"team: {name}", ta, tb, peak(self.x(*args), env=team_env), ("ratio", 2.0))

        both("due --within 30 --format csv", "due", "--within", "30", "--format", "csv")
        both("list (first page)", "list", "--format", "tsv")
        both("show CUSTOMER", "show", "C0000042", "--format", "tsv")
        both("stats", "stats", "--json")

    def health(self):
        """The rows of the health issue, on the same book after a generated
        season: 12 monthly usage rows per service, the renewals recorded
        month by month, then a calibration."""
        season = os.path.join(self.data, "season")
        usage = os.path.join(season, "usage.csv")
        if not os.path.exists(usage):
            print("generating a season (usage, renewals) ...", file=sys.stderr)
            gen = os.path.join(ROOT, "target", "release", "examples", "gen_book")
            subprocess.run([gen, "--season-for", self.csv, season, "12"], check=True)
        before = self.db + ".before-usage"
        shutil.copy(self.db, before)
        flat_usage = os.path.join(self.data, "flat-usage.db")

        def fresh_xaas():
            remove_db(self.db)
            shutil.copy(before, self.db)

        def fresh_flat():
            remove_db(flat_usage)

        # Timed with `due` and `export` before usage, for the ratio rows.
        due = self.x("due", "--within", "30", "--format", "csv")
        t_due = [run(due, env=self.env) for _ in range(self.args.runs)]
        t_export = [run(self.x("export"), env=self.env) for _ in range(self.args.runs)]
        self.pair(
            "usage import (12 monthly rows per service)",
            self.x("usage", "import", usage),
            self.sq(flat_usage, ".import --csv " + usage + " u"),
            ("ratio", 1.25),
            before_a=fresh_xaas,
            before_b=fresh_flat,
        )
        os.remove(before)
        for name in sorted(os.listdir(season)):
            if name.startswith("renewals-"):
                month = name[len("renewals-"):-len(".csv")]
                y, m = map(int, month.split("-"))
                end = f"{y + m // 12}-{m % 12 + 1:02d}-01"
                day = min(TODAY, subprocess.run(
                    ["date", "-d", f"{end} -1 day", "+%F"], check=True, capture_output=True
                ).stdout.decode().strip())
                subprocess.run(
                    self.x("--today", day, "import", os.path.join(season, name)),
                    env=self.env, check=True, stderr=subprocess.DEVNULL,
                )
        self.pair("health calibrate", self.x("health", "calibrate"), None, ("ms", 5000))
        self.pair(
            "health backtest (2026-06 … 2026-10)",
            self.x("health", "backtest", "--from", "2026-06-01", "--to", "2026-10-31", "--json"),
            None,
            ("ms", 5000),
        )
        self.pair(
            "list --services --health danger (first page)",
            self.x("list", "--services", "--health", "danger", "--format", "tsv"),
            None,
            ("ms", 50),
        )
        self.pair("today (first page, TSV)", self.x("today", "--format", "tsv"), None, ("ms", 300))
        csm = subprocess.run(
            ["sqlite3", self.db, "SELECT csm FROM customers GROUP BY csm ORDER BY count(*) DESC LIMIT 1"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
        self.pair(
            "today --csm (the busiest CSM's, first page)",
            self.x("today", "--csm", csm, "--format", "tsv"),
            None,
            ("ms", 300),
        )
        self.pair("stats (after the season)", self.x("stats"), None, ("ms", 300))
        # Point in time: the book as of mid-season (every renewal, task and
        # entry written later undone), against stats today, interleaved.
        self.pair(
            "stats --today 2026-06-30 (point in time) vs stats",
            self.x("--today", "2026-06-30", "stats"),
            self.x("stats"),
            ("ratio", 2.0),
        )
        self.pair(
            "stats --series month (24 months, CSV)",
            self.x("stats", "--series", "month", "--from", "2024-12-01", "--to", TODAY,
                   "--format", "csv"),
            None,
            ("ms", 1000),
        )
        self.pair("forecast (next 90 days)", self.x("forecast", "--json"), None, ("ms", 1000))
        self.pair("digest (the week, plain text)", self.x("digest"), None, ("ms", 1000))
        html = os.path.join(self.data, "report.html")
        self.pair("report -o FILE.html", self.x("report", "-o", html), None, ("ms", 2000))
        ta = [run(due, env=self.env) for _ in range(self.args.runs)]
        self.add("due --within 30 with usage", ta, t_due, peak(due, env=self.env), ("ratio", 1.25))
        ta = [run(self.x("export"), env=self.env) for _ in range(self.args.runs)]
        self.add("export with usage", ta, t_export, peak(self.x("export"), env=self.env), ("ratio", 1.25))
        # `tasks sync` last, so that the rows above run on the book they
        # always did: the first run (every rule's task of the last 30 days)
        # from a copy that never synced, then a rerun the same day (no-op).
        before_tasks = self.db + ".before-tasks"
        shutil.copy(self.db, before_tasks)

        def unsynced():
            remove_db(self.db)
            shutil.copy(before_tasks, self.db)

        self.pair("tasks sync (first run)", self.x("tasks", "sync"), None, ("ms", 10000), before_a=unsynced)
        os.remove(before_tasks)
        self.pair("tasks sync (rerun, no-op)", self.x("tasks", "sync"), None, ("ms", 1000))

    def report(self, n, same):
        print(f"\nxaas benchmark: {self.args.rows:,} services, medians of {self.args.runs} runs")
        print(f"machine: {os.cpu_count()} cores, {platform()}\n")
        print("| operation | xaas | baseline | ratio | budget | peak RSS | result |")
        print("|---|---|---|---|---|---|---|")
        failed = 0
        for name, a, b, ratio, budget, ok, mem in self.rows:
            limit_mb = 64 if name.startswith("usage import") else 48
            if name.startswith(("import", "usage import")):
                budget += f"; < {limit_mb} MB"
                ok = ok and mem < limit_mb
            failed += not ok
            base = f"{b * 1000:.0f} ms" if b is not None else ""
            r = f"{ratio:.2f}×" if ratio is not None else ""
            print(
                f"| {name} | {a * 1000:.0f} ms | {base} | {r} | {budget} | {mem:.1f} MB | {'pass' if ok else 'FAIL'} |"
            )
        print(f"\nround trip: import then export gives back the same {n:,} services: {'yes' if same else 'NO'}")
        if failed or not same:
            sys.exit(1)


class PgServer:
    """A PostgreSQL server of its own in a temporary folder, on a free
    loopback port, as the `postgres` OS user when run as root (as the
    tests start theirs: tests/cli/pg.rs)."""

    def __init__(self):
        import glob
        import socket
        import tempfile

        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            sys.exit("PostgreSQL is missing: apt-get install -y postgresql")
        self.bin = os.path.dirname(found[-1])
        self.dir = tempfile.mkdtemp(prefix="xaas-bench-pg-")
        self.root = os.getuid() == 0
        if self.root:
            shutil.chown(self.dir, "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        data = os.path.join(self.dir, "data")
        subprocess.run(
            self.as_pg([f"{self.bin}/initdb", "-D", data, "-A", "trust", "-U", "bench", "-E", "UTF8", "--no-locale"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.proc = subprocess.Popen(
            self.as_pg([
                f"{self.bin}/postgres", "-D", data, "-p", str(self.port), "-k", self.dir,
                "-c", "listen_addresses=127.0.0.1",
            ]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if subprocess.run(self.psql("postgres", "SELECT 1"), capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        sys.exit("the benchmark's PostgreSQL did not start")

    def as_pg(self, cmd):
        return ["runuser", "-u", "postgres", "--", *cmd] if self.root else cmd

    def url(self, db):
        return f"postgres://bench@127.0.0.1:{self.port}/{db}"

    def psql(self, db, sql):
        return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port), "-U", "bench", "-d", db, "-c", sql]

    def fresh(self, db):
        run(self.psql("postgres", f"DROP DATABASE IF EXISTS {db}"))
        run(self.psql("postgres", f"CREATE DATABASE {db}"))

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def platform():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return sys.platform


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--data", default=os.path.join(ROOT, "bench-data"))
    ap.add_argument(
        "--gen",
        default=os.path.join(ROOT, "..", "shared", "tools", "gen_services.py"),
        help="the service-list generator",
    )
    ap.add_argument("--team-only", action="store_true", help="only the team mode rows (PostgreSQL)")
    args = ap.parse_args()
    if not shutil.which("sqlite3") or not os.path.exists("/usr/bin/time"):
        sys.exit("sqlite3 or /usr/bin/time is missing; examples/bench.sh installs them")
    if args.team_only:
        Bench(args).team_only()
    else:
        Bench(args).main()
