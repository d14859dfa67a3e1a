#!/bin/bash
# Per-second counts of a benchmark's pods from the SQLite database a `skiff bench scheduler` run
# leaves behind (--data-dir DIR: DIR/data/db/state.db): how many were created, got their
# PodScheduled condition (bound) and started (status.startTime) in each second.
# usage: scripts/pod-timeline.sh DIR/data/db/state.db PHASE   (PHASE: backlog, basic or anti)
set -euo pipefail
db=$1 phase=$2
sqlite3 "$db" "
  select json_extract(cast(p.value as text), '$.metadata.creationTimestamp'),
         ifnull((select json_extract(c.value, '$.lastTransitionTime')
                 from json_each(json_extract(cast(p.value as text), '$.status.conditions')) c
                 where json_extract(c.value, '$.type') = 'PodScheduled'), '-'),
         ifnull(json_extract(cast(p.value as text), '$.status.startTime'), '-')
  from current p where cast(p.key as text) like '/registry/core/pods/bench/$phase-%'" |
python3 -c '
import sys, collections
created, bound, started = collections.Counter(), collections.Counter(), collections.Counter()
for line in sys.stdin:
    c, b, s = line.strip().split("|")
    created[c[11:19]] += 1
    if b != "-": bound[b[11:19]] += 1
    if s != "-": started[s[11:19]] += 1
print("second    created  bound  started")
for t in sorted(set(created) | set(bound) | set(started)):
    print(f"{t}  {created[t]:7}  {bound[t]:5}  {started[t]:7}")
'
