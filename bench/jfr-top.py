#!/usr/bin/env python3
"""Top frames of a JFR recording (issue 16), from `jfr print`:

    jfr print --events jdk.ExecutionSample --stack-depth 64 rec.jfr | bench/jfr-top.py [N]

Prints samples per thread (digits folded), self time (top frame), self time charged to the
first io.tributary frame on the stack, and total (inclusive) time of io.tributary frames.
For where threads wait (epoll, fsync, sendfile), pipe `--events jdk.NativeMethodSample` instead.
"""
import collections
import re
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20
threads, top, ours, total = (collections.Counter() for _ in range(4))
samples = 0
frames, thread = [], None


def flush():
    global samples
    if not frames:
        return
    samples += 1
    threads[re.sub(r"\d+", "#", thread or "?")] += 1
    top[frames[0]] += 1
    first = next((f for f in frames if f.startswith("io.tributary")), None)
    if first:
        ours[first] += 1
    for f in set(frames):
        if f.startswith("io.tributary"):
            total[f] += 1


for line in sys.stdin:
    if re.match(r"jdk\.\w+Sample", line):
        flush()
        frames, thread = [], None
    m = re.match(r'\s*sampledThread = "(.*)"', line)
    if m:
        thread = m.group(1)
    m = re.match(r"\s+([\w$.<>/]+)\(.*\)\s+line:", line)
    if m:
        frames.append(m.group(1))
flush()
print("samples", samples)
for title, counter in (("threads", threads), ("self (top frame)", top),
                       ("self, charged to the first io.tributary frame", ours), ("total (io.tributary)", total)):
    print("--", title)
    for name, c in counter.most_common(N):
        print(f"{c:7d} {100.0 * c / max(samples, 1):5.1f}% {name}")
