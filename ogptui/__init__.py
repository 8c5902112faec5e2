"""ogptui: offline-first terminal browser for Open Government Partnership member data."""

__version__ = "0.1.0"
