"""backup-access: tells why an AWS Backup call is denied and what to change."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
