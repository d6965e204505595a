"""The listener (registered by the plugin): records every task the policy did not wrap.

In the task process, on_task_instance_running fires after the templates are rendered and before
execute: a command task wrapped by the policy only gets the variables its wrapper needs (the map
index, which Airflow does not export, and the dag run's pins); a pinned Python task gets its call
moved into the restored environment (pinned.py), whose agent records it; any other task is
recorded by a `snaptrail wrap` started beside it (recorder.py), told the outcome when the task ends. A failure
that the executor reports fires on_task_instance_failed in the scheduler instead, with the error
as a string (Airflow 3: an ORM TaskInstance where the task process had a RuntimeTaskInstance;
Airflow 2: an ORM TaskInstance in both places): it is logged, and the run's own record (if the
task process started one) ends as failed when that process goes away. Which side a hook runs on
is told by whether this process saw the task start, which holds on both Airflow 2 and 3.

The hooks take only the arguments both generations pass: Airflow 2.10+ adds `session`, which
pluggy leaves out for a hook that does not name it. `error` is named without a default: pluggy
passes a hook only the arguments it names without defaults.

Nothing here may fail a task: every hook catches everything and logs one line.
"""

from __future__ import annotations

import json
import logging
import os

from airflow.listeners import hookimpl

from .commands import is_wrapped
from .pinned import pin_callable, why_not_pinnable
from .recorder import PendingRecord, start_record

log = logging.getLogger("snaptrail")

_pending: dict[tuple, PendingRecord] = {}
# Task instances whose start this process saw: a failure of any other is reported from outside.
_started: set[tuple] = set()


def _key(ti) -> tuple:  # noqa: ANN001
    return (ti.dag_id, ti.run_id, ti.task_id, getattr(ti, "map_index", -1), getattr(ti, "try_number", 0))


def _context_env(ti) -> dict[str, str]:  # noqa: ANN001
    env = {
        "AIRFLOW_CTX_DAG_ID": str(ti.dag_id),
        "AIRFLOW_CTX_DAG_RUN_ID": str(ti.run_id),
        "AIRFLOW_CTX_TASK_ID": str(ti.task_id),
        "AIRFLOW_CTX_TRY_NUMBER": str(getattr(ti, "try_number", "") or ""),
    }
    map_index = getattr(ti, "map_index", -1)
    if isinstance(map_index, int) and map_index >= 0:
        env["AIRFLOW_CTX_MAP_INDEX"] = str(map_index)
    return env


def _conf(ti) -> dict:  # noqa: ANN001
    try:
        dag_run = ti.get_template_context()["dag_run"]
        conf = getattr(dag_run, "conf", None) or {}
        return conf if isinstance(conf, dict) else {}
    except Exception:  # noqa: BLE001
        return {}


def pin_env(conf: dict) -> dict[str, str]:
    """The dag run's conf keys snaptrail_pin ({task: run}) and snaptrail_restore, as the agent reads them."""
    env: dict[str, str] = {}
    pin = conf.get("snaptrail_pin")
    if pin is not None:
        # Passed on as given: the agent names what is wrong with a bad pin and does not run the
        # pinned command (current code under a rollback's name would be a lie).
        env["SNAPTRAIL_PIN"] = pin if isinstance(pin, str) else json.dumps(pin)
    restore = conf.get("snaptrail_restore")
    if isinstance(restore, str) and restore.strip():
        env["SNAPTRAIL_RESTORE"] = restore.strip()
    return env


def pin_variable_key(dag_id: str, run_id: str) -> str:
    """The Airflow Variable `snaptrail resubmit --in-place` sets for one DAG run (adapters/airflow)."""
    return f"snaptrail_pin__{dag_id}__{run_id}"


def _variable_pins(ti) -> dict:  # noqa: ANN001
    """Pins for a task cleared in its own DAG run: its conf cannot change, so they come from a Variable."""
    key = pin_variable_key(ti.dag_id, ti.run_id)
    try:
        try:
            from airflow.sdk import Variable  # Airflow 3: through the task's execution API
        except ImportError:
            Variable = None  # noqa: N806
        if Variable is not None:
            text = Variable.get(key, default=None)
        else:
            from airflow.models import Variable as OrmVariable  # Airflow 2: the task process reads the metadata DB

            text = OrmVariable.get(key, default_var=None)
    except Exception as err:  # noqa: BLE001 - the Variable store unreachable: say so, run without in-place pins
        log.warning("snaptrail: cannot read the Variable %s (%s); no in-place pins for this task", key, err)
        return {}
    if not text:
        return {}
    try:
        pins = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        log.warning("snaptrail: the Variable %s is not JSON; its pins are ignored", key)
        return {}
    return pins if isinstance(pins, dict) else {}


def _pins_env(ti) -> dict[str, str]:  # noqa: ANN001
    env = pin_env(_conf(ti))
    extra = _variable_pins(ti)
    if extra:
        try:
            current = json.loads(env.get("SNAPTRAIL_PIN", "{}"))
        except ValueError:
            current = {}
        if not isinstance(current, dict):
            current = {}
        env["SNAPTRAIL_PIN"] = json.dumps({**current, **extra})
    return env


def _pin_for(env: dict[str, str], dag_id: str, task_id: str) -> str | None:
    if "SNAPTRAIL_RESTORE" in env:
        return env["SNAPTRAIL_RESTORE"]
    try:
        pins = json.loads(env.get("SNAPTRAIL_PIN", "{}"))
    except ValueError:
        return env.get("SNAPTRAIL_PIN")
    if not isinstance(pins, dict):
        return None
    return pins.get(f"{dag_id}/{task_id}") or pins.get(task_id)


def _give_to_command(task, env: dict[str, str]) -> None:  # noqa: ANN001
    """The wrapped command's bash gets os.environ unless the task sets env without append_env."""
    os.environ.update(env)
    task_env = getattr(task, "env", None)
    if isinstance(task_env, dict) and not getattr(task, "append_env", False):
        task.env = {**task_env, **env}


@hookimpl
def on_task_instance_running(previous_state, task_instance) -> None:  # noqa: ANN001
    try:
        ti = task_instance
        _started.add(_key(ti))
        task = getattr(ti, "task", None)
        env = {**_context_env(ti), **_pins_env(ti)}
        command = getattr(task, "bash_command", None)
        if isinstance(command, str) and is_wrapped(command):
            _give_to_command(task, env)
            log.info("snaptrail: %s runs under snaptrail wrap, which records it", ti.task_id)
            return
        dag_file = getattr(getattr(task, "dag", None), "fileloc", None)
        pinned = _pin_for(env, ti.dag_id, ti.task_id)
        not_restored = None
        if pinned is not None:
            why_not = why_not_pinnable(task) if dag_file else "its DAG file is not known"
            if why_not is None:
                # The agent started by the pinned call records the run (a rollback, restored).
                pin_callable(task, pinned, env, dag_file, ti.dag_id, ti.task_id, lambda reason: _record(ti, env, dag_file, _not_restored(pinned, reason)))
                return
            log.warning("snaptrail: %s is pinned to %s, but %s: it runs in this worker's environment, NOT restored, and is recorded as an ordinary run, not as a rollback", ti.task_id, pinned, why_not)
            not_restored = _not_restored(pinned, why_not)
        _record(ti, env, dag_file, not_restored)
    except Exception as err:  # noqa: BLE001 - the agent never fails the task
        log.warning("snaptrail: not recording this task: %s", err)


def _not_restored(pinned: str, why: str) -> str:
    return f"pinned to {pinned}; ran in the worker's environment: {why}"


def _record(ti, env: dict[str, str], dag_file: str | None, not_restored: str | None) -> None:  # noqa: ANN001
    record = start_record(env, dag_file, not_restored=not_restored)
    if record is not None:
        _pending[_key(ti)] = record
        log.info("snaptrail: recording %s (agent pid %d)", ti.task_id, record.pid)


def _finish(task_instance, ok: bool, error: object = None) -> None:  # noqa: ANN001
    try:
        key = _key(task_instance)
        record = _pending.pop(key, None)
        if record is None:
            if not ok and key not in _started:
                # The scheduler's view of a failure the executor reported: the task process, if
                # it ever started, ends its own record as failed.
                log.info("snaptrail: %s failed outside its task process: %s", task_instance.task_id, error)
            _started.discard(key)
            return
        _started.discard(key)
        log.info("snaptrail: %s", record.finish(ok, None if error is None else str(error)))
    except Exception as err:  # noqa: BLE001
        log.warning("snaptrail: could not finish the record of this task: %s", err)


@hookimpl
def on_task_instance_success(previous_state, task_instance) -> None:  # noqa: ANN001
    _finish(task_instance, True)


@hookimpl
def on_task_instance_failed(previous_state, task_instance, error) -> None:  # noqa: ANN001
    _finish(task_instance, False, error)
