#!/usr/bin/env python3
"""Writes insights events as a collector would store them: one JSON object a line.

The same --seed and --n always give the same bytes, so tests can compare a report
exactly and the benchmark always reads the same events.

    python3 scripts/gen_events.py --n 1000000 --seed 1 --out events.jsonl
    python3 scripts/gen_events.py --n 200 --seed 7 --hostile > events.jsonl

--hostile adds, at fixed places, the lines a careless or hostile sender can produce:
bad JSON, bad UTF-8, an unknown event and a 10 MB line (all four skipped by the report),
and valid events whose query, page and language hold markup (kept, and escaped in HTML).
"""

import argparse
import datetime
import json
import random
import sys

# (query, results) per language; 0 results means the search found nothing.
QUERIES = {
    "en": [
        ("reset password", 4), ("Reset  Password?", 4), ("withdrawal delay", 3),
        ("card declined", 2), ("crypto staking", 0), ("change phone number", 0),
        ("Change phone number", 0), ("refund", 5), ("fees", 6), ("account frozen", 2),
        ("apple pay", 0), ("two factor", 3), ("close account", 0), ("invoice", 1),
    ],
    "zh": [
        ("重置密码", 4), ("提现 到账", 3), ("ＰＩＮ 码", 0), ("账户 冻结", 2),
        ("退款", 5), ("手续费", 6), ("数字货币", 0), ("注销账户", 0), ("发票", 1),
    ],
}
PAGES = {
    "en": ["/en/account/reset-password/", "/en/payments/withdrawal-delays/",
           "/en/payments/refunds/", "/en/payments/fees/", "/en/account/frozen/",
           "/en/security/two-factor/"],
    "zh": ["/account/reset-password/", "/payments/withdrawal-delays/",
           "/payments/refunds/", "/payments/fees/", "/account/frozen/"],
}
TOPICS = ["account", "payments", "security"]
# How often each kind of event is drawn.
KINDS = [("search", 50), ("open", 25), ("helpful", 12), ("suggestion", 6), ("request", 7)]
# Some pages are answered "no" far more often, so the ranking has something to find.
NO_RATE = {0: 0.7, 3: 0.45}


def event(rng, lang, time, distinct=None):
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    record = {"event": kind, "lang": lang}
    if kind in ("search", "open"):
        query, results = rng.choice(QUERIES[lang])
        if kind == "open":
            # Nobody opens the results of some queries (e.g. "invoice", "发票").
            while results == 0 or query in ("invoice", "发票"):
                query, results = rng.choice(QUERIES[lang])
            record["query"] = query
            record["page"] = rng.choice(PAGES[lang])
        else:
            # With --distinct every search is a query never seen before: the most
            # memory the report can need for this many events.
            record["query"] = query if distinct is None else f"{query} {distinct}"
            record["results"] = results
    elif kind == "helpful":
        index = rng.randrange(len(PAGES[lang]))
        record["page"] = PAGES[lang][index]
        record["helpful"] = rng.random() >= NO_RATE.get(index, 0.15)
    elif kind == "suggestion":
        record["page"] = rng.choice(PAGES[lang])
    else:
        record["topic"] = rng.choice(TOPICS)
    record["time"] = time.strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def hostile_lines():
    """Bad lines, each as bytes, in a fixed order."""
    script = {"event": "search", "lang": "en", "query": "<script>alert(1)</script>",
              "results": 0, "time": "2026-11-02T09:00:00Z"}
    return [
        b'{"event":"search","lang":"en","query":"unclosed',
        b'{"event":"search","lang":"en","query":"caf\xe9","results":0,"time":"2026-11-02T09:00:00Z"}',
        b'{"event":"pageview","lang":"en","time":"2026-11-02T09:00:00Z"}',
        b'{"event":"search","lang":"en","query":"' + b"x" * (10 * 1024 * 1024) + b'","results":0}',
        json.dumps(script).encode(),
        json.dumps({"event": "helpful", "lang": "en", "page": '/a/"><img src=x onerror=alert(1)>',
                    "helpful": False, "time": "2026-11-03T09:00:00Z"}).encode(),
        json.dumps({"event": "request", "lang": 'en"><b>', "topic": "account",
                    "time": "2026-11-03T09:00:00Z"}).encode(),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="events to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", default="2026-11-02", help="first day (UTC)")
    parser.add_argument("--days", type=int, default=28, help="days the events span")
    parser.add_argument("--hostile", action="store_true", help="add bad lines")
    parser.add_argument("--distinct", action="store_true",
                        help="make every search query different (worst case for memory)")
    parser.add_argument("--out", help="file to write (default: standard output)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    start = datetime.datetime.fromisoformat(args.start).replace(tzinfo=datetime.timezone.utc)
    span = args.days * 86400
    bad = hostile_lines() if args.hostile else []
    # The bad lines go at evenly spread places, the same for the same --n.
    bad_at = {(i + 1) * args.n // (len(bad) + 1): line for i, line in enumerate(bad)}
    out = open(args.out, "wb") if args.out else sys.stdout.buffer
    with out:
        lines = []
        for i in range(args.n):
            if i in bad_at:
                lines.append(bad_at[i])
            lang = "en" if rng.random() < 0.6 else "zh"
            time = start + datetime.timedelta(seconds=i * span // max(args.n, 1))
            lines.append(event(rng, lang, time, i if args.distinct else None).encode())
            if len(lines) >= 10000:
                out.write(b"\n".join(lines) + b"\n")
                lines = []
        if lines:
            out.write(b"\n".join(lines) + b"\n")


if __name__ == "__main__":
    main()
