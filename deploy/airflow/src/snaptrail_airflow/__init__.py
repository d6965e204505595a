"""snaptrail for Airflow: a cluster policy and a listener plugin, registered through entry points."""

__version__ = "0.1.0"
