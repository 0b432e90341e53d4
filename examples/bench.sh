#!/usr/bin/env bash
# The benchmark: xaas against the sqlite3 shell on 1M generated services.
#   examples/bench.sh                 # 1M rows, 5 runs each
#   examples/bench.sh --rows 100000 --runs 3
# Data goes to bench-data/ (git-ignored) and is generated once.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
missing=()
need sqlite3 || missing+=(sqlite3)
need python3 || missing+=(python3)
[ -x /usr/bin/time ] || missing+=(time)
# Team mode's rows start a PostgreSQL server of their own (and time psql).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && need psql || missing+=(postgresql)
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${missing[@]}"
fi
need cargo || { echo "cargo is missing: install Rust from https://rustup.rs" >&2; exit 1; }

cargo build --release --locked --quiet --bin xaas --example gen_book
exec python3 examples/bench.py "$@"
