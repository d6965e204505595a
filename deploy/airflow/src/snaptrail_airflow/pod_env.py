"""The variables a KubernetesPodOperator pod needs for the agent, as Airflow templates."""

from __future__ import annotations

from collections.abc import Mapping

# The agent's own settings the pod inherits from the worker's environment, when set there.
PASSED_ON = (
    "SNAPTRAIL_COLLECTOR",
    "SNAPTRAIL_COLLECTOR_HTTP",
    "SNAPTRAIL_TRANSPORT",
    "SNAPTRAIL_NATS_URL",
    "SNAPTRAIL_TOKEN_FILE",
    "SNAPTRAIL_ENV_ALLOW",
    "SNAPTRAIL_ENV_DENY",
)


def pod_env(worker_env: Mapping[str, str]) -> dict[str, str]:
    """Airflow's ids (rendered per task instance), the dag run's pins, and the agent's settings."""
    env = {
        "AIRFLOW_CTX_DAG_ID": "{{ dag.dag_id }}",
        "AIRFLOW_CTX_DAG_RUN_ID": "{{ run_id }}",
        "AIRFLOW_CTX_TASK_ID": "{{ task.task_id }}",
        "AIRFLOW_CTX_TRY_NUMBER": "{{ ti.try_number }}",
        "AIRFLOW_CTX_MAP_INDEX": "{{ ti.map_index }}",
        "SNAPTRAIL_PIN": "{{ ((dag_run.conf or {}).get('snaptrail_pin') or {}) | tojson }}",
        "SNAPTRAIL_RESTORE": "{{ (dag_run.conf or {}).get('snaptrail_restore') or '' }}",
    }
    for name in PASSED_ON:
        value = worker_env.get(name, "")
        if value:
            env[name] = value
    return env
