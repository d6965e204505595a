"""Runs one pinned Python task's callable in the restored interpreter (started by pinned.py).

This file is run as a script by the restored environment's python, under `snaptrail wrap`, which
restored the code and the environment and put the DAG file's path into the restored tree. So it
imports nothing of snaptrail_airflow and nothing outside the standard library but the DAG file
itself: the restored environment is the worker's as recorded, and may not hold this package at
all (or an older one).

Why the DAG file is imported rather than the callable's source sent (Airflow's own
ExternalPythonOperator route): that route serialises the function's source alone, so a callable
that uses the DAG file's module-level imports or helpers, as most @task code not written for
another interpreter does, fails there. Importing the restored DAG file gives the callable with its
module, as the task had it.

argv: DAG_FILE DAG_ID TASK_ID IO_DIR. IO_DIR holds input.pkl ({"args", "kwargs", "dag_file"}: the
call's arguments and the DAG file's path in the worker, which `wrap` does not map);
this writes result.pkl (the return value) or skipped.txt (the task raised AirflowSkipException).
Exit 0 when the callable returned or skipped, 1 when it raised (its traceback on stderr), 2 when
the task could not be found in the restored DAG file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import sys
import traceback


def _load_module(dag_file: str):  # noqa: ANN202
    # Named as Airflow names DAG modules (unusual_prefix_ + a hash of the path + the file's stem), so
    # a DAG file that checks its own __name__ sees what it sees under Airflow.
    stem = os.path.splitext(os.path.basename(dag_file))[0]
    name = f"unusual_prefix_{hashlib.sha1(dag_file.encode()).hexdigest()}_{stem}"  # noqa: S324 - a name, not security
    spec = importlib.util.spec_from_file_location(name, dag_file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {dag_file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _is_dag(obj: object) -> bool:
    return any(c.__name__ == "DAG" for c in type(obj).__mro__) and hasattr(obj, "get_task")


def _dags(module) -> list:  # noqa: ANN001
    """The DAGs the file defined: its globals, and those a `with DAG(...)` block registered."""
    found = [v for v in vars(module).values() if _is_dag(v)]
    for where in ("airflow.sdk.definitions._internal.contextmanager", "airflow.models.dag"):  # Airflow 3, Airflow 2
        try:
            context = getattr(__import__(where, fromlist=["DagContext"]), "DagContext")
        except (ImportError, AttributeError):
            continue
        for entry in list(getattr(context, "autoregistered_dags", ()) or ()):
            dag, dag_module = entry if isinstance(entry, tuple) else (entry, None)
            if dag_module is None or dag_module is module:
                found.append(dag)
    return found


def _callable_of(task):  # noqa: ANN001, ANN202
    fn = getattr(task, "python_callable", None)
    if fn is None:
        fn = (getattr(task, "partial_kwargs", None) or {}).get("python_callable")
    return fn


def main(argv: list[str]) -> int:
    # As Airflow's own script for a callable in another interpreter sets it: importing airflow then
    # skips its ORM set-up, which an Airflow 3 task process points at a URL that refuses DB access.
    os.environ["PYTHON_OPERATORS_VIRTUAL_ENV_MODE"] = "1"
    dag_file, dag_id, task_id, io_dir = argv[1:5]
    with open(os.path.join(io_dir, "input.pkl"), "rb") as f:
        given = pickle.load(f)  # noqa: S301 - written by the task's own process a moment ago
    if os.path.abspath(dag_file) == os.path.abspath(given["dag_file"]):
        print(f"snaptrail: the pinned run recorded no code to restore: {task_id} runs today's {dag_file} in the restored environment", file=sys.stderr)
    # As Airflow does for its DAG folder: the DAG file's own folder is importable.
    sys.path.insert(0, os.path.dirname(os.path.abspath(dag_file)))
    module = _load_module(dag_file)
    dag = next((d for d in _dags(module) if getattr(d, "dag_id", None) == dag_id), None)
    if dag is None:
        print(f"snaptrail: the restored {dag_file} defines no DAG {dag_id}", file=sys.stderr)
        return 2
    try:
        task = dag.get_task(task_id)
    except Exception:  # noqa: BLE001 - Airflow's TaskNotFound, whichever module it lives in
        print(f"snaptrail: the restored DAG {dag_id} has no task {task_id}", file=sys.stderr)
        return 2
    fn = _callable_of(task)
    if not callable(fn):
        print(f"snaptrail: the restored task {task_id} of {dag_id} has no Python callable", file=sys.stderr)
        return 2
    try:
        result = fn(*given["args"], **given["kwargs"])
    except BaseException as err:  # noqa: BLE001
        if type(err).__name__ == "AirflowSkipException":
            with open(os.path.join(io_dir, "skipped.txt"), "w", encoding="utf-8") as f:
                f.write(str(err))
            return 0
        traceback.print_exc()
        return 1
    with open(os.path.join(io_dir, "result.pkl"), "wb") as f:
        pickle.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
