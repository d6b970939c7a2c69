"""Starts N asyncio tasks that each sleep for 1 s, then prints the time and the peak memory.

Run it with `python3 many_tasks.py 1000`. Linux only: the peak memory comes from /proc.
"""

import asyncio
import sys
import time


def peak_memory_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])


async def main(n):
    start = time.monotonic()
    tasks = [asyncio.create_task(asyncio.sleep(1)) for _ in range(n)]
    await asyncio.gather(*tasks)
    print(f"Elapsed: {time.monotonic() - start:.2f}s")
    print(f"Peak memory: {peak_memory_kib() / 1024:.2f} MiB")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
