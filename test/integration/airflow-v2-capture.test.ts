import { airflowCaptureSuite } from "../helpers/airflow-capture-suite.js";

// snaptrail-airflow on a real Airflow 2.11.2 (test/requirements/airflow-2.txt): the same suite and
// unedited example DAGs as for Airflow 3 (airflow-capture.test.ts).
airflowCaptureSuite(2);
