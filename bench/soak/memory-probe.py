#!/usr/bin/env python3
# Where a running `latchkey serve` keeps its memory, sampled while a soak
# runs (bench/README.md, soak section). Every EVERY seconds, one line:
# RSS; glibc malloc's total from the OS, its free part and its part in use
# (malloc_info); SQLite's heap (sqlite3_memory_used); the resident size of
# the Argon2id buffers (anonymous mappings of 16 MiB or more outside malloc's
# arenas, made per hash and unmapped after it). gdb attaches for about a
# second per sample (apt-get install gdb).
#   python3 bench/soak/memory-probe.py PID [EVERY_S]
import os
import re
import subprocess
import sys
import tempfile
import time

pid = int(sys.argv[1])
every = float(sys.argv[2]) if len(sys.argv) > 2 else 60


def from_gdb():
    with tempfile.TemporaryDirectory() as work:
        xml = os.path.join(work, 'malloc.xml')
        out = subprocess.run(
            ['gdb', '-p', str(pid), '-batch', '-nx', '-ex', 'print (long long)sqlite3_memory_used()',
             '-ex', f'set $f = (void*)fopen("{xml}", "w")', '-ex', 'print (int)malloc_info(0, $f)',
             '-ex', 'print (int)fclose($f)'], capture_output=True, text=True, timeout=60).stdout
        sqlite = re.search(r'^\$1 = (\d+)', out, re.M)
        text = open(xml).read() if os.path.exists(xml) else ''
    tail = text[text.rfind('</heap>'):]

    def total(pattern):
        found = re.search(pattern, tail)
        return int(found.group(1)) if found else 0
    system = total(r'<system type="current" size="(\d+)"')
    free = total(r'<total type="fast" count="\d+" size="(\d+)"') + total(r'<total type="rest" count="\d+" size="(\d+)"')
    return (int(sqlite.group(1)) if sqlite else -1), system, free


def argon2_resident():
    resident, current = 0, None
    for line in open(f'/proc/{pid}/smaps'):
        head = re.match(r'^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$', line)
        if head:
            start, end = int(head.group(1), 16), int(head.group(2), 16)
            current = (not head.group(4) and head.group(3) == 'rw-p' and start % (64 << 20) != 0 and
                       end - start >= 16 << 20)
        elif current and line.startswith('Rss:'):
            resident += int(line.split()[1]) * 1024
    return resident


MB = 1 << 20
started = time.time()
while os.path.exists(f'/proc/{pid}'):
    rss = int(re.search(r'VmRSS:\s+(\d+)', open(f'/proc/{pid}/status').read()).group(1)) * 1024
    sqlite, system, free = from_gdb()
    argon2 = argon2_resident()
    print(f'{time.time() - started:6.0f} s  rss {rss / MB:5.1f}  without argon2 {(rss - argon2) / MB:5.1f}  '
          f'malloc {system / MB:5.1f} (free {free / MB:4.1f}, in use {(system - free) / MB:4.1f})  '
          f'sqlite {sqlite / MB:4.1f}  MB', flush=True)
    time.sleep(every)
