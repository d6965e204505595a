"""Record Kubeflow Pipelines tasks with snaptrail.

A KFP component's container does not see its run id; the pod's labels and annotations carry it.
`with_snaptrail(task)` exposes them to the container through the Kubernetes downward API, so
`snaptrail wrap` inside the component derives the run id `kfp:<run>/<task>[+<retry>]` and records the
pod's image digest (it reads the Pod's own status with the service-account token).

    from kfp import dsl
    from snaptrail_kfp import with_snaptrail

    @dsl.container_component
    def train():
        return dsl.ContainerSpec(image="ghcr.io/acme/train@sha256:...",
                                 command=["snaptrail", "wrap", "--", "python", "train.py"])

    @dsl.pipeline(name="nightly-train")
    def pipeline():
        with_snaptrail(train(), pipeline_name="nightly-train", collector="collector.snaptrail:50051")

Needs the `kfp` and `kfp-kubernetes` packages (KFP v2 SDK).
"""
from kfp import kubernetes

# Where KFP and Argo put the ids on the task's pod.
RUN_ID_LABEL = "pipeline/runid"
RUN_NAME_ANNOTATION = "pipelines.kubeflow.org/run_name"


def with_snaptrail(task, pipeline_name: str, collector: str = ""):
    """Adds the environment snaptrail's agent reads to a KFP v2 pipeline task and returns it."""
    kubernetes.use_field_path_as_env(task, env_name="KFP_RUN_ID", field_path=f"metadata.labels['{RUN_ID_LABEL}']")
    kubernetes.use_field_path_as_env(task, env_name="KFP_RUN_NAME", field_path=f"metadata.annotations['{RUN_NAME_ANNOTATION}']")
    kubernetes.use_field_path_as_env(task, env_name="KFP_POD_NAME", field_path="metadata.name")
    kubernetes.use_field_path_as_env(task, env_name="POD_NAME", field_path="metadata.name")
    kubernetes.use_field_path_as_env(task, env_name="POD_NAMESPACE", field_path="metadata.namespace")
    task.set_env_variable("KFP_PIPELINE_NAME", pipeline_name)
    task.set_env_variable("KFP_TASK_NAME", task.name)
    if collector:
        task.set_env_variable("SNAPTRAIL_COLLECTOR", collector)
    return task
