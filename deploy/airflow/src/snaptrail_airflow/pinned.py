"""A pinned Python task runs in the restored environment, not in the worker's.

How: the listener replaces the task's python_callable, before execute, by a stand-in with the same
signature (functools.wraps: Airflow picks the context arguments to pass by the callable's
signature). PythonOperator.execute still renders, resolves XComs and mapped arguments, and pushes
the return value as it always does; only the call itself moves: the stand-in pickles the resolved
arguments and runs `snaptrail wrap -- <worker python> pinned_runner.py <DAG file> ...` with
SNAPTRAIL_RESTORE set. The agent restores the code and the environment exactly as for a pinned
command task (a venv rebuilt from the recorded packages, cached by their digest; the DAG file's
path moved into the restored tree; the interpreter swapped for the venv's), records the run as a
rollback of the pinned run with the restored environment, and runs the runner there, which imports
the restored DAG file and calls the task's callable. This is Airflow's ExternalPythonOperator
route (a callable in another interpreter, arguments and result pickled) with one difference, said
in pinned_runner.py: the callable comes from importing the restored DAG file, not from its source.

Where that cannot apply (another kind of operator, an async callable, an argument that cannot
cross to another interpreter) the task runs in the worker's environment and says so, in its log
and in its run record: never today's environment silently under a rollback's name. A pinned task
whose restore fails does not run (as for a command task): the agent's line says why.
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from typing import Any, Callable

from .commands import snaptrail_bin

log = logging.getLogger("snaptrail")

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pinned_runner.py")

# Operators that already run their callable in an interpreter of their own (a virtualenv, another
# python, a container, a pod): pinning the worker's environment means nothing to them.
_OWN_INTERPRETER = {"_BasePythonVirtualenvOperator", "_DockerDecoratedOperator", "_KubernetesDecoratedOperator", "KubernetesPodOperator"}


class PinnedTaskError(Exception):
    """The pinned task failed in the restored environment, or could not be restored (the agent said which)."""


class CannotRunPinned(Exception):
    """This call cannot run in another interpreter: it runs in the worker's environment instead."""


def why_not_pinnable(task: object) -> str | None:
    """None when the task's callable can run in the restored environment; else why not, in words."""
    names = {c.__name__ for c in type(task).__mro__}
    kind = type(task).__name__
    if "PythonOperator" not in names:
        return f"{kind} is not a Python callable operator"
    if names & _OWN_INTERPRETER:
        return f"{kind} runs its callable in an interpreter of its own"
    fn = getattr(task, "python_callable", None)
    if not callable(fn):
        return f"this {kind} has no Python callable"
    if inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn):
        return "its callable is async"
    return None


def call_payload(fn: Callable[..., Any], args: tuple, kwargs: dict, dag_file: str) -> tuple[bytes, list[str]]:
    """The pickled call for the runner, and the context names left out.

    A context value that cannot be pickled (a TaskInstance, the DAG run) is left out when it only
    reaches the callable through **kwargs, and named (CannotRunPinned) when the callable asks for it
    by name: it cannot be called without it."""
    payload = {"args": list(args), "kwargs": dict(kwargs), "dag_file": dag_file}
    try:
        # The usual case: everything pickles, in one pass over values that may be large (XComs).
        return pickle.dumps(payload), []
    except Exception:  # noqa: BLE001 - pickle raises several kinds; find which value, below
        pass
    try:
        named = {n for n, p in inspect.signature(fn).parameters.items() if p.kind is not inspect.Parameter.VAR_KEYWORD}
    except (TypeError, ValueError):
        named = set(kwargs)
    for i, value in enumerate(args):
        try:
            pickle.dumps(value)
        except Exception as err:  # noqa: BLE001
            raise CannotRunPinned(f"its argument {i} ({type(value).__name__}) cannot be passed to another interpreter: {err}") from err
    left_out: list[str] = []
    for name, value in kwargs.items():
        try:
            pickle.dumps(value)
        except Exception as err:  # noqa: BLE001
            if name in named:
                raise CannotRunPinned(f"its argument {name!r} ({type(value).__name__}) cannot be passed to another interpreter") from err
            left_out.append(name)
    payload["kwargs"] = {k: v for k, v in kwargs.items() if k not in left_out}
    try:
        return pickle.dumps(payload), left_out
    except Exception as err:  # noqa: BLE001 - each value pickles alone but not together
        raise CannotRunPinned(f"its arguments cannot be passed to another interpreter: {err}") from err


def _relay(proc: subprocess.Popen) -> None:
    """The agent's and the task's lines into the task's own output, which Airflow puts in the task log."""
    assert proc.stdout is not None
    for raw in proc.stdout:
        sys.stdout.write(raw.decode("utf-8", errors="replace"))
    sys.stdout.flush()


def run_in_restored(ref: str, context_env: dict[str, str], dag_file: str, dag_id: str, task_id: str, payload: bytes) -> Any:
    """Runs the call under `snaptrail wrap` restored to `ref`; its return value, or raises."""
    io_dir = tempfile.mkdtemp(prefix="snaptrail-pinned-")
    try:
        with open(os.path.join(io_dir, "input.pkl"), "wb") as f:
            f.write(payload)
        env = dict(os.environ)
        env.update(context_env)
        env.pop("SNAPTRAIL_PIN", None)
        env["SNAPTRAIL_RESTORE"] = ref
        argv = [snaptrail_bin(), "wrap", "--", sys.executable, RUNNER, os.path.abspath(dag_file), dag_id, task_id, io_dir]
        # In the task's own process group: a task killed (timeout, mark failed) takes the agent and
        # the callable with it, and the agent passes the signal on to its child.
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=os.path.dirname(os.path.abspath(dag_file)))  # noqa: S603
        try:
            _relay(proc)
        finally:
            code = proc.wait()
        if code != 0:
            raise PinnedTaskError(f"snaptrail: {task_id} pinned to {ref} failed in the restored environment (exit {code}); the lines above say why")
        skipped = os.path.join(io_dir, "skipped.txt")
        if os.path.exists(skipped):
            from airflow.exceptions import AirflowSkipException

            with open(skipped, encoding="utf-8") as f:
                raise AirflowSkipException(f.read())
        with open(os.path.join(io_dir, "result.pkl"), "rb") as f:
            return pickle.load(f)  # noqa: S301 - written by the task's own runner
    finally:
        shutil.rmtree(io_dir, ignore_errors=True)


def pin_callable(task: Any, ref: str, context_env: dict[str, str], dag_file: str, dag_id: str, task_id: str, in_worker: Callable[[str], None]) -> None:
    """Replaces the task's callable by one that runs it restored to `ref`.

    `in_worker(reason)` is called when this call cannot run restored, before the callable runs in
    the worker's environment instead (it starts the record that says so)."""
    original = task.python_callable

    @functools.wraps(original)
    def pinned(*args: Any, **kwargs: Any) -> Any:
        try:
            payload, left_out = call_payload(original, args, kwargs, dag_file)
        except CannotRunPinned as err:
            reason = str(err)
            log.warning("snaptrail: %s is pinned to %s, but %s: it runs in this worker's environment, NOT restored, and is recorded as an ordinary run", task_id, ref, reason)
            in_worker(reason)
            return original(*args, **kwargs)
        if left_out:
            log.info("snaptrail: context values left out in the restored environment (they cannot be pickled): %s", ", ".join(sorted(left_out)))
        log.info("snaptrail: %s is pinned to %s: it runs in the restored environment", task_id, ref)
        return run_in_restored(ref, context_env, dag_file, dag_id, task_id, payload)

    task.python_callable = pinned
