#!/usr/bin/env python3
"""Where a run's Spark time went, from its event log.

Run nightly (or bench nightly) with
    --conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file:///tmp/events
    --conf spark.eventLog.compress=false
then: scripts/profile-run.py [--cpu] /tmp/events/<the run's log> [TOP]
(the log is a file, or a folder eventlog_v2_* of events_* files, read in their order)

Prints the executors' run time, the bytes shuffled and spilled per stage of the run (the job
group nightly gives each stage's Spark jobs) and the TOP call sites (default 40): the two innermost frames of dev.empathy code that
started each SQL query or job, with its stages and queries. Run time is the tasks' wall time on
the executors; the driver's own work (fits on the driver, planning) is not in it. With --cpu,
the tasks' CPU time instead: on a busy machine it varies less between runs than their wall time.
"""
import collections
import json
import os
import re
import sys


def site_of(text):
    frames = [line.strip() for line in (text or "").splitlines() if line.strip()]
    ours = [f for f in frames if "dev.empathy" in f]
    if not ours:
        return frames[0] if frames else "(no call site)"
    return " < ".join(re.sub(r"^(at )?dev\.empathy\.", "", f) for f in ours[:2])


def lines(path):
    """The event log's lines: one file, or the events_* files of a rolling log's folder."""
    if os.path.isdir(path):
        parts = sorted((f for f in os.listdir(path) if f.startswith("events_")),
                       key=lambda f: int(f.split("_")[1]))
        paths = [os.path.join(path, f) for f in parts]
    else:
        paths = [path]
    for p in paths:
        if p.endswith(".zstd") or p.endswith(".lz4") or p.endswith(".snappy"):
            sys.exit(p + ": compressed; run with --conf spark.eventLog.compress=false")
        with open(p, encoding="utf-8") as log:
            yield from log


def main():
    args = sys.argv[1:]
    cpu = "--cpu" in args
    args = [a for a in args if a != "--cpu"]
    if not args:
        sys.exit(__doc__)
    top = int(args[1]) if len(args) > 1 else 40
    # Milliseconds of either kind: run time is kept in ms, CPU time in ns.
    metric, per_ms = ("internal.metrics.executorCpuTime", 1e6) if cpu else ("internal.metrics.executorRunTime", 1)
    label = "cpu s" if cpu else "run s"
    query_site = {}
    stage_of = {}
    by_site = collections.defaultdict(lambda: [0.0, 0, set()])
    by_group = collections.defaultdict(lambda: [0.0, set(), 0.0, 0.0])
    for line in lines(args[0]):
        e = json.loads(line)
        kind = e.get("Event", "")
        if kind.endswith("SQLExecutionStart"):
            query_site[e["executionId"]] = site_of(e.get("details"))
        elif kind == "SparkListenerJobStart":
            props = e.get("Properties") or {}
            group = props.get("spark.jobGroup.id") or "(none)"
            query = props.get("spark.sql.execution.id")
            site = query_site.get(int(query)) if query is not None else None
            if site is None:
                # A job outside SQL (an RDD action): its result stage's name, "collect at File.java:N".
                infos = e.get("Stage Infos") or []
                site = max(infos, key=lambda i: i["Stage ID"])["Stage Name"] if infos else "(no call site)"
            key = query if query is not None else "job " + str(e["Job ID"])
            for stage in e.get("Stage IDs", []):
                stage_of[stage] = (group, site, key)
        elif kind == "SparkListenerStageCompleted":
            info = e["Stage Info"]
            metrics = {a.get("Name"): a.get("Value", 0) for a in info.get("Accumulables", [])}
            run = float(metrics.get(metric, 0)) / per_ms
            shuffled = float(metrics.get("internal.metrics.shuffle.write.bytesWritten", 0))
            spilled = float(metrics.get("internal.metrics.diskBytesSpilled", 0))
            group, site, key = stage_of.get(info["Stage ID"], ("(none)", "(unknown)", None))
            by_site[(group, site)][0] += run
            by_site[(group, site)][1] += 1
            by_site[(group, site)][2].add(key)
            by_group[group][0] += run
            by_group[group][1].add(key)
            by_group[group][2] += shuffled
            by_group[group][3] += spilled
    total = sum(v[0] for v in by_group.values())
    print(f"executors' {'CPU' if cpu else 'run'} time {total / 1000:.1f} s")
    print(f"{'stage':20s} {label:>8s} {'queries':>8s} {'shuffled MiB':>13s} {'spilled MiB':>12s}")
    for group, (run, keys, shuffled, spilled) in sorted(by_group.items(), key=lambda kv: -kv[1][0]):
        print(f"{group:20s} {run / 1000:8.1f} {len(keys):8d} {shuffled / 2**20:13,.0f} {spilled / 2**20:12,.0f}")
    print(f"\n{'stage':16s} {label:>7s} {'stages':>6s} {'queries':>7s}  call site")
    for (group, site), (run, stages, keys) in sorted(by_site.items(), key=lambda kv: -kv[1][0])[:top]:
        print(f"{group:16s} {run / 1000:7.1f} {stages:6d} {len(keys):7d}  {site[:160]}")


if __name__ == "__main__":
    main()
