"""Wrapping an existing Airflow task: only the command changes.

The agent reads AIRFLOW_CTX_DAG_ID, AIRFLOW_CTX_DAG_RUN_ID, AIRFLOW_CTX_TASK_ID and
AIRFLOW_CTX_TRY_NUMBER, so the run id is airflow:<dag>/<dag_run>/<task>[<map_index>]/<try>.
"""
from datetime import datetime

from airflow import DAG
from airflow.operators.bash import BashOperator

with DAG("nightly_features", start_date=datetime(2026, 1, 1), schedule="@daily", catchup=False) as dag:
    BashOperator(
        task_id="featurize",
        bash_command="snaptrail wrap -- python /opt/jobs/features.py",
        env={"SNAPTRAIL_COLLECTOR": "collector.example.internal:50051"},
        append_env=True,
    )
