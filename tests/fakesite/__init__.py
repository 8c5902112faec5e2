"""A fake OGP site served on 127.0.0.1 for tests and benchmarks (see server.FakeSite)."""

from .data import SiteData, commitment_path, default_site, member_path, synthetic_site
from .faults import FAULT_KINDS, Fault
from .server import Counters, FakeSite, norm_path

__all__ = [
    "FAULT_KINDS",
    "Counters",
    "FakeSite",
    "Fault",
    "SiteData",
    "commitment_path",
    "default_site",
    "member_path",
    "norm_path",
    "synthetic_site",
]
