"""One torch thread for the playground's tests: its nets are tiny, and two threads on a busy 2-core machine are
about 10× slower (docs/benchmarks.md)."""

import pytest
import torch


@pytest.fixture(autouse=True)
def one_thread():
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)
