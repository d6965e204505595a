"""Pure helpers shared by the policy and the listener: finding the agent, wrapping a command,
telling whether a command is already wrapped. No Airflow import here, so they test alone."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys

# A command that already runs under the agent, wherever it sits in the script: the DAG's own
# `snaptrail wrap`, or ours (an absolute path to the agent) from another policy source.
_WRAPPED = re.compile(r"(?:^|[\s;&|(`/\"'])snaptrail['\"]?\s+wrap(?:\s|$)")

# The quoted here-document delimiter that keeps the user's script verbatim inside ours: no
# quoting of it is needed, so rendered template values holding quotes cannot break out.
HEREDOC_END = "SNAPTRAIL_AIRFLOW_SCRIPT_END"


def snaptrail_bin() -> str:
    """The agent beside this interpreter (the wheel's console script), else SNAPTRAIL_AIRFLOW_BIN, else PATH's."""
    explicit = os.environ.get("SNAPTRAIL_AIRFLOW_BIN", "").strip()
    if explicit:
        return explicit
    beside = os.path.join(os.path.dirname(sys.executable), "snaptrail")
    if os.access(beside, os.X_OK):
        return beside
    return shutil.which("snaptrail") or "snaptrail"


def is_wrapped(command: str) -> bool:
    return "__snaptrail_script=" in command or bool(_WRAPPED.search(command))


def wrap_bash_command(command: str, agent: str | None = None) -> str | None:
    """The command run by `bash -c` under the agent, or None when it cannot be wrapped safely.

    The original script goes into a quoted here-document, so bash gets it byte for byte
    (templates included, rendered later by Airflow, whose values may hold any quote) and the
    exit status of the script is the task's. Where the agent is missing, the script runs as it
    would have, with one line saying so: the agent never fails the task."""
    if is_wrapped(command):
        return None
    if any(line.strip() == HEREDOC_END for line in command.splitlines()):
        return None
    exe = shlex.quote(agent if agent is not None else snaptrail_bin())
    return (
        f"__snaptrail_script=\"$(cat <<'{HEREDOC_END}'\n{command}\n{HEREDOC_END}\n)\"\n"
        f"if command -v {exe} >/dev/null 2>&1; then exec {exe} wrap -- bash -c \"$__snaptrail_script\"; fi\n"
        f"echo \"snaptrail: {exe} not found: the command runs unrecorded\" >&2\n"
        'exec bash -c "$__snaptrail_script"'
    )


def wrap_argv(cmds: list[str], agent: str = "snaptrail") -> list[str] | None:
    """A container's command under the agent (KubernetesPodOperator `cmds`), or None when already wrapped."""
    if not cmds:
        return None
    if len(cmds) >= 2 and os.path.basename(cmds[0]) == "snaptrail" and cmds[1] == "wrap":
        return None
    if is_wrapped(" ".join(cmds)):
        return None
    return [agent, "wrap", "--", *cmds]
