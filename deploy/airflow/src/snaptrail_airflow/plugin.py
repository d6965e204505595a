"""The plugin (entry point group `airflow.plugins`) that registers the listener."""

from airflow.plugins_manager import AirflowPlugin

from . import listener


class SnaptrailPlugin(AirflowPlugin):
    name = "snaptrail"
    listeners = [listener]
