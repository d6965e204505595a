"""The cluster policy (entry point group `airflow.policy`): command tasks run under `snaptrail wrap`.

Airflow applies task_policy on every parse of a DAG file: in the dag processor and again in the
task process on the worker, which re-parses the file before it executes the task, so the
rewritten command is what the worker runs. Each parse starts from a fresh DAG object, and a
command that already runs under the agent (the DAG's own `snaptrail wrap`, or a second policy
source) is left as it is: a command is never wrapped twice. A policy error never stops a DAG
from loading: the task then runs unwrapped and the listener records it instead.
"""

from __future__ import annotations

import logging
import os

from airflow.policies import hookimpl

from .commands import is_wrapped, snaptrail_bin, wrap_argv, wrap_bash_command
from .pod_env import pod_env

log = logging.getLogger(__name__)


def _is_a(task: object, class_name: str) -> bool:
    return any(cls.__name__ == class_name for cls in type(task).__mro__)


def _wrap_bash(task: object) -> None:
    command = getattr(task, "bash_command", None)
    if not isinstance(command, str) or is_wrapped(command):
        return
    template_ext = tuple(getattr(task, "template_ext", ()) or ())
    if template_ext and command.strip().endswith(template_ext):
        # A script file Airflow renders as a template: include it, so it is still read through
        # the DAG's template search path and rendered, and runs under the agent.
        name = command.strip().replace("\\", "\\\\").replace('"', '\\"')
        command = f'{{% include "{name}" %}}'
    wrapped = wrap_bash_command(command)
    if wrapped is not None:
        task.bash_command = wrapped  # type: ignore[attr-defined]


def _wrap_pod(task: object) -> None:
    cmds = list(getattr(task, "cmds", None) or [])
    wrapped = wrap_argv(cmds, os.environ.get("SNAPTRAIL_POD_AGENT", "snaptrail"))
    if wrapped is None:
        if not cmds:
            log.warning("snaptrail: %s runs its image's entrypoint (no cmds): it is not wrapped", getattr(task, "task_id", "?"))
        return
    task.cmds = wrapped  # type: ignore[attr-defined]
    from kubernetes.client import models as k8s  # the provider's own dependency, there when the operator is

    env_vars = list(getattr(task, "env_vars", None) or [])
    have = {getattr(e, "name", None) for e in env_vars}
    env_vars.extend(k8s.V1EnvVar(name=name, value=value) for name, value in pod_env(os.environ).items() if name not in have)
    task.env_vars = env_vars  # type: ignore[attr-defined]


@hookimpl
def task_policy(task) -> None:  # noqa: ANN001 - Airflow's own signature
    try:
        if _is_a(task, "BashOperator"):
            _wrap_bash(task)
        elif _is_a(task, "KubernetesPodOperator"):
            _wrap_pod(task)
    except Exception as err:  # noqa: BLE001 - a policy error must not stop the DAG from loading
        log.warning("snaptrail: could not wrap task %s (%s); the listener records it instead", getattr(task, "task_id", "?"), err)


__all__ = ["task_policy", "snaptrail_bin"]
