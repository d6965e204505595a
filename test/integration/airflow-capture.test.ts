import { airflowCaptureSuite } from "../helpers/airflow-capture-suite.js";

// snaptrail-airflow on a real Airflow 3.1.8: every task recorded with no DAG edit, pinned tasks
// restored (the suite is shared with Airflow 2.11, airflow-v2-capture.test.ts).
airflowCaptureSuite(3);
