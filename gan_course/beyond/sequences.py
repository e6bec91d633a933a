"""A GAN for discrete sequences: dates ``YYYY-MM-DD`` through the Gumbel-softmax.

Taught in ``notebooks/10_beyond_images.ipynb`` (third part).

Tokens are the 11 characters ``0123456789-``; a sequence of length L = 10 is a one-hot tensor
``[B, L, V]`` (V = 11). The toy language is the set of valid calendar dates from 1900-01-01 to
2099-12-31 (leap years included), so every generated string can be checked exactly.

Why a trick is needed: sampling a token (``argmax`` or ``multinomial``) is piecewise constant in the
generator's logits, so no gradient reaches the generator through it. The Gumbel-softmax (Jang, Gu &
Poole 2017; Maddison, Mnih & Teh 2017) replaces the sample by ``softmax((logits + g)/τ)`` with Gumbel
noise ``g``; with ``hard=True`` (straight-through) the forward pass is the exact one-hot of the sample
and the backward pass uses the soft relaxation's gradient (``torch.nn.functional.gumbel_softmax``).
"""

from __future__ import annotations

import datetime as _dt

import torch
from torch import nn

ALPHABET = "0123456789-"
LENGTH = 10
V = len(ALPHABET)
_FIRST, _LAST = _dt.date(1900, 1, 1).toordinal(), _dt.date(2099, 12, 31).toordinal()


def encode(strings) -> torch.Tensor:
    """Strings of length 10 over ``ALPHABET`` → one-hot ``[B, 10, 11]`` float tensor."""
    idx = []
    for s in strings:
        if len(s) != LENGTH or any(ch not in ALPHABET for ch in s):
            raise ValueError(f"{s!r} is not a string of {LENGTH} characters from {ALPHABET!r}")
        idx.append([ALPHABET.index(ch) for ch in s])
    return nn.functional.one_hot(torch.tensor(idx), V).float()


def decode(x: torch.Tensor) -> list[str]:
    """One-hot (or any scores) ``[B, 10, 11]`` → strings, taking the argmax token at each position."""
    if x.ndim != 3 or tuple(x.shape[1:]) != (LENGTH, V):
        raise ValueError(f"sequences must have shape [B, {LENGTH}, {V}], got {tuple(x.shape)}")
    return ["".join(ALPHABET[i] for i in row) for row in x.argmax(-1).tolist()]


def is_valid_date(s: str) -> bool:
    """True when ``s`` is a real calendar date ``YYYY-MM-DD`` between 1900-01-01 and 2099-12-31."""
    if len(s) != LENGTH or s[4] != "-" or s[7] != "-" or not (s[:4] + s[5:7] + s[8:]).isdigit():
        return False
    try:
        d = _dt.date(int(s[:4]), int(s[5:7]), int(s[8:]))
    except ValueError:
        return False
    return _FIRST <= d.toordinal() <= _LAST


def random_dates(n: int, generator: torch.Generator | None = None) -> list[str]:
    """``n`` dates drawn uniformly from 1900-01-01 … 2099-12-31 (the training distribution)."""
    days = torch.randint(_FIRST, _LAST + 1, (n,), generator=generator).tolist()
    return [_dt.date.fromordinal(d).isoformat() for d in days]


def validity_and_diversity(strings) -> dict:
    """``valid``: fraction of strings that are valid dates; ``distinct``: distinct strings / total;
    ``distinct_valid``: distinct valid dates / total."""
    strings = list(strings)
    if not strings:
        raise ValueError("no strings to score")
    valid = [s for s in strings if is_valid_date(s)]
    n = len(strings)
    return {"valid": len(valid) / n, "distinct": len(set(strings)) / n, "distinct_valid": len(set(valid)) / n}


class SequenceGenerator(nn.Module):
    """Noise ``[B, z_dim]`` → one-hot tokens ``[B, 10, 11]`` via a straight-through Gumbel-softmax.

    An MLP gives logits ``[B, 10, 11]``; ``tau`` is the Gumbel-softmax temperature; ``hard=True``
    sends exact one-hots forward (the discriminator cannot tell fakes by their softness).
    """

    def __init__(self, z_dim: int = 32, hidden: int = 256, tau: float = 1.0, hard: bool = True):
        super().__init__()
        if tau <= 0:
            raise ValueError(f"tau must be > 0, got {tau}")
        self.z_dim, self.tau, self.hard = z_dim, tau, hard
        self.net = nn.Sequential(nn.Linear(z_dim, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden),
                                 nn.LeakyReLU(0.2), nn.Linear(hidden, LENGTH * V))

    def logits(self, z: torch.Tensor) -> torch.Tensor:
        if z.ndim != 2 or z.shape[1] != self.z_dim:
            raise ValueError(f"noise must have shape [B, {self.z_dim}], got {tuple(z.shape)}")
        return self.net(z).view(len(z), LENGTH, V)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return nn.functional.gumbel_softmax(self.logits(z), tau=self.tau, hard=self.hard, dim=-1)


class SequenceDiscriminator(nn.Module):
    """One-hot (or relaxed) tokens ``[B, 10, 11]`` → logits ``[B]`` (an MLP over the flattened sequence)."""

    def __init__(self, hidden: int = 256):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(LENGTH * V, hidden), nn.LeakyReLU(0.2),
                                 nn.Linear(hidden, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 3 or tuple(x.shape[1:]) != (LENGTH, V):
            raise ValueError(f"sequences must have shape [B, {LENGTH}, {V}], got {tuple(x.shape)}")
        return self.net(x).squeeze(1)


class DateSampler:
    """``sample_real(m, generator)`` for the trainer: ``m`` one-hot dates from a fixed pool of training dates."""

    def __init__(self, n: int = 20000, generator: torch.Generator | None = None):
        self.strings = random_dates(n, generator)
        self.data = encode(self.strings)

    def __call__(self, m: int, generator: torch.Generator | None = None) -> torch.Tensor:
        return self.data[torch.randint(len(self.data), (m,), generator=generator)]
