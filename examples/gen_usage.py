#!/usr/bin/env python3
"""Synthetic usage sheet for tests and benchmarks: monthly usage rows for
the services `gen_services.py --rows N` makes (S00000001 … SN).

  gen_usage.py --services 1000000 --months 12 --end 2026-10 > usage.csv
  gen_usage.py --services 1000 --order month > by-month.csv

Each row is a month's last day; active users never exceed the accounts.
`--order service` (the default) writes each service's months together,
services ascending; `--order month` writes every service for one month,
then the next. Deterministic for a given seed. Standard library only.
"""
import argparse
import calendar
import random
import sys


def month_ends(end, months):
    y, m = map(int, end.split("-"))
    out = []
    for _ in range(months):
        out.append(f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--services", type=int, default=1000, help="services S00000001 … to write usage for")
    ap.add_argument("--months", type=int, default=12, help="monthly rows per service")
    ap.add_argument("--end", default="2026-10", help="the last month, YYYY-MM")
    ap.add_argument("--order", choices=["service", "month"], default="service")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()

    rnd = random.Random(a.seed)
    days = month_ends(a.end, a.months)
    # Each service's accounts and a usage level it drifts around.
    level = [(rnd.randrange(5, 500), rnd.random()) for _ in range(a.services)]
    out = sys.stdout
    out.write("service_id,date,accounts,active_users,key_actions,features_used\n")

    def row(s, day):
        accounts, p = level[s]
        p = min(1.0, max(0.0, p + rnd.uniform(-0.15, 0.15)))
        active = int(accounts * p)
        out.write(f"S{s + 1:08d},{day},{accounts},{active},{active * rnd.randrange(1, 40)},{rnd.randrange(1, 21)}\n")

    if a.order == "service":
        for s in range(a.services):
            for day in days:
                row(s, day)
    else:
        for day in days:
            for s in range(a.services):
                row(s, day)


if __name__ == "__main__":
    main()
