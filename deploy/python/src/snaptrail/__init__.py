"""The snaptrail agent for job hosts; the `snaptrail` command is snaptrail._launcher:main."""

from ._version import __version__

__all__ = ["__version__"]
