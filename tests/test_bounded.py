"""Every cache is bounded: measured by memory, not by counting calls."""

import gc
import io
import tracemalloc

from helpers import retained_after

import kb
from kb import batch


def test_lookups_of_ever_new_spellings_do_not_grow_memory():
    kb.reload()
    spellings = lambda i: kb.get(" " * (i % 7) + "421" + " " * (i // 7 % 50) + "\t" * (i // 350))
    # caches are emptied when full: compare counts that leave the same remainder, so both end equally full
    small = retained_after(spellings, 4096 * 2 + 2000)
    kb.reload()
    large = retained_after(spellings, 4096 * 12 + 2000)
    # unbounded, four times the spellings would keep about four times the memory
    assert large < small * 1.5 + 200_000, (small, large)


def test_anatomy_of_ever_new_spellings_does_not_grow_memory():
    kb.reload()
    ask = lambda i: kb.anatomy(" " * (i % 13) + "5.7." + str(i % 999) + " " * (i // 13000))
    small = retained_after(ask, 4096 * 2 + 2000)
    kb.reload()
    large = retained_after(ask, 4096 * 8 + 2000)
    assert large < small * 1.5 + 200_000, (small, large)


def test_batch_memory_is_flat_over_ever_new_lines(monkeypatch):
    monkeypatch.setattr(batch, "CACHE_SIZE", 300)

    def lines(n):
        return "".join(f"550 5.1.1 <x@d{i}.example>: User unknown at relay{i % 97}.example code{i}\n" for i in range(n)).encode()

    def peak(n):
        data = lines(n)
        gc.collect()
        tracemalloc.start()
        batch.run(io.BytesIO(data), io.StringIO())
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return top - len(data)

    small, large = peak(1_500), peak(6_000)
    assert large < small * 1.5, (small, large)
