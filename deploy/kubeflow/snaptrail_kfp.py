"""Record Kubeflow Pipelines tasks with snaptrail, and let `snaptrail resubmit` pin them.

A KFP component's container does not see its run id; the pod's labels and annotations carry it.
`with_snaptrail(task)` exposes them to the container through the Kubernetes downward API, so
`snaptrail wrap` inside the component derives the run id `kfp:<run>/<task>[+<retry>]` and records the
pod's image digest (it reads the Pod's own status with the service-account token; see rbac.yaml).

    from kfp import dsl
    from snaptrail_kfp import with_snaptrail

    @dsl.container_component
    def train():
        return dsl.ContainerSpec(image="ghcr.io/acme/train@sha256:...",
                                 command=["snaptrail", "wrap", "--", "python", "train.py"])

    @dsl.pipeline(name="nightly-train")
    def pipeline(snaptrail_pin: str = ""):
        with_snaptrail(train(), pipeline_name="nightly-train", collector="collector.snaptrail:50051",
                       pin=snaptrail_pin)

`snaptrail resubmit kfp:<run>/train --kfp URL` creates a run of the same pipeline version with the
same parameters and `snaptrail_pin` set to {"train": "kfp:<run>/train"}; the pinned component
then restores that run's code and environment before it runs (SNAPTRAIL_PIN, read by `wrap`).

Why a pipeline parameter: it is the only per-run input KFP gives a pipeline. KFP copies a
container's `env` into the pod as written (no placeholders), but it resolves input placeholders
in the command line, so the pin reaches the component as a component input and the command is
prefixed with `env SNAPTRAIL_PIN=<the input>`. A component input is also part of KFP's cache
key: a rollback run is never answered from the cache of the run it rolls back.

Needs the `kfp` and `kfp-kubernetes` packages (KFP v2 SDK; tested with 2.17.3).
"""
from kfp import kubernetes
from kfp.dsl import structures

# Where KFP and Argo put the ids on the task's pod.
RUN_ID_LABEL = "pipeline/runid"
RUN_NAME_ANNOTATION = "pipelines.kubeflow.org/run_name"
# Argo names each retry "<node>(<attempt>)": the agent reads the attempt from it.
NODE_NAME_ANNOTATION = "workflows.argoproj.io/node-name"
# The pipeline parameter and component input that carry the pins.
PIN_PARAMETER = "snaptrail_pin"


def with_snaptrail(task, pipeline_name: str, collector: str = "", pin=None):
    """Adds the environment snaptrail's agent reads to a KFP v2 pipeline task and returns it.

    pin: the pipeline's `snaptrail_pin` parameter (declare `snaptrail_pin: str = ""` in the
    pipeline function and pass it here) so that a resubmitted run can pin this component.
    """
    kubernetes.use_field_path_as_env(task, env_name="KFP_RUN_ID", field_path=f"metadata.labels['{RUN_ID_LABEL}']")
    kubernetes.use_field_path_as_env(task, env_name="KFP_RUN_NAME", field_path=f"metadata.annotations['{RUN_NAME_ANNOTATION}']")
    kubernetes.use_field_path_as_env(task, env_name="ARGO_NODE_NAME", field_path=f"metadata.annotations['{NODE_NAME_ANNOTATION}']")
    kubernetes.use_field_path_as_env(task, env_name="KFP_POD_NAME", field_path="metadata.name")
    kubernetes.use_field_path_as_env(task, env_name="POD_NAME", field_path="metadata.name")
    kubernetes.use_field_path_as_env(task, env_name="POD_NAMESPACE", field_path="metadata.namespace")
    task.set_env_variable("KFP_PIPELINE_NAME", pipeline_name)
    task.set_env_variable("KFP_TASK_NAME", task.name)
    if collector:
        task.set_env_variable("SNAPTRAIL_COLLECTOR", collector)
    if pin is not None:
        _pass_pin(task, pin)
    return task


def with_snaptrail_all(pipeline_name: str, collector: str = "", pin=None):
    """with_snaptrail on every container task defined so far in the pipeline being compiled: one
    line at the end of the pipeline function records every component.

        @dsl.pipeline(name="nightly-train")
        def pipeline(snaptrail_pin: str = ""):
            ...
            with_snaptrail_all("nightly-train", collector="...", pin=snaptrail_pin)
    """
    from kfp.dsl import pipeline_context

    pipeline = pipeline_context.Pipeline.get_default_pipeline()
    if pipeline is None:
        raise RuntimeError("with_snaptrail_all must be called inside a @dsl.pipeline function, after its tasks")
    for task in list(pipeline.tasks.values()):
        if task.container_spec is not None:
            with_snaptrail(task, pipeline_name, collector, pin)


def _pass_pin(task, pin):
    """Makes `pin` an input of the task's component and prefixes its command with
    `env SNAPTRAIL_PIN={{$.inputs.parameters['snaptrail_pin']}}` (resolved by KFP's launcher)."""
    if isinstance(pin, str):
        raise TypeError(f"pin must be the pipeline's {PIN_PARAMETER} parameter, not a fixed string: declare `{PIN_PARAMETER}: str = \"\"` in the pipeline function and pass it")
    spec = task.component_spec
    if task.container_spec is None:
        raise TypeError(f"{task.name} is not a container task: only container components can be pinned")
    inputs = dict(spec.inputs or {})
    if PIN_PARAMETER in inputs and PIN_PARAMETER in task.inputs and task.inputs[PIN_PARAMETER] is not pin:
        raise ValueError(f"{task.name} already has an input named {PIN_PARAMETER}")
    inputs[PIN_PARAMETER] = structures.InputSpec(type="String", default="", optional=True)
    spec.inputs = inputs
    task.inputs[PIN_PARAMETER] = pin
    if pin not in task.channel_inputs:
        task.channel_inputs.append(pin)
    command = list(task.container_spec.command or [])
    prefix = ["env", f"SNAPTRAIL_PIN={{{{$.inputs.parameters['{PIN_PARAMETER}']}}}}"]
    if command[:2] != prefix:
        if not command:
            raise ValueError(f"{task.name} has no command (the image's entrypoint runs): give it `command=[\"snaptrail\", \"wrap\", \"--\", ...]` to pin it")
        task.container_spec.command = prefix + command
