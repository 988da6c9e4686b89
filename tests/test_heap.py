"""Memory a process freed goes back to the system when asked."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys
from pathlib import Path

import pytest

# Blocks freed between blocks kept: holes inside the heap, which glibc keeps until asked.
_SCRIPT = """
import os
from newsgen.heap import return_freed_memory

def resident():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

blocks = []
for number in range(2_500):
    blocks.append(bytes(65536 + number % 7))  # freed below; under glibc's threshold for a map
    blocks.append(bytes(600 + number % 7))  # kept, above pymalloc's limit: in the same heap
kept = blocks[1::2]
del blocks
held = resident()
return_freed_memory()
print(held - resident())
"""


@pytest.mark.skipif(
    not Path("/proc/self/statm").exists() or not ctypes.util.find_library("c"),
    reason="needs Linux's /proc and its C library",
)
def test_freed_memory_inside_the_heap_goes_back() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, check=True
    )
    assert int(result.stdout) > 100 * 2**20  # of the 160 MB freed
