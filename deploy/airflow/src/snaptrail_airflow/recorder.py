"""Records a task that is not a command: `snaptrail wrap` runs beside the task, around a stand-in.

Why this way (and no agent command of its own): `snaptrail wrap` already fingerprints an
interpreter (--python, the worker's own), captures a code folder (--code-dir, the DAG file's),
sends the start, snapshot and finish events with spooling and retries, and ends the run with the
exit status of what it wraps. What it wraps here is a stand-in process (outcome.py) that waits on
a pipe for the task's outcome: 0 when the task succeeded, 1 when it failed, and 1 when the task
process went away without saying (the pipe closes). So the listener stays a few lines, the agent
stays one code path, and the agent runs in its own session, outside the task's process group.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from .commands import snaptrail_bin

# How long the task's end waits for the agent to have sent the finish (its own bound, the
# agent's finishTimeoutMs, is 10 s by default); past it the agent is left to finish alone.
FINISH_WAIT_S = float(os.environ.get("SNAPTRAIL_AIRFLOW_FINISH_WAIT_S", "30"))


class PendingRecord:
    def __init__(self, proc: subprocess.Popen, log_path: str) -> None:
        self._proc = proc
        self._log_path = log_path
        self.pid = proc.pid

    def finish(self, ok: bool, error: str | None) -> str:
        """Tells the stand-in the outcome and waits (bounded) for the agent: one line for the task log."""
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.write(b"0\n" if ok else b"1\n")
            self._proc.stdin.close()
        except OSError:
            pass
        try:
            code = self._proc.wait(timeout=FINISH_WAIT_S)
        except subprocess.TimeoutExpired:
            return f"the agent (pid {self.pid}) is still sending after {FINISH_WAIT_S:.0f} s; left to finish alone"
        said = self._agent_said()
        outcome = "succeeded" if ok else f"failed{f' ({error})' if error else ''}"
        if code != (0 if ok else 1) and not said:
            said = f"the agent exited {code}"
        return f"recorded the task as {outcome}" + (f"; agent: {said}" if said else "")

    def _agent_said(self) -> str:
        try:
            with open(self._log_path, encoding="utf-8", errors="replace") as f:
                lines = [line.strip() for line in f if line.strip()]
            os.unlink(self._log_path)
            return " | ".join(lines)[:2000]
        except OSError:
            return ""


def start_record(context_env: dict[str, str], dag_file: str | None, not_restored: str | None = None) -> PendingRecord | None:
    """Starts `snaptrail wrap` around the stand-in, with the task's ids in its environment.

    `not_restored`: why a pinned task runs in the worker's environment; the record says so."""
    env = dict(os.environ)
    env.update(context_env)
    # This run is not restored: the agent must not try to restore the stand-in.
    for name in ("SNAPTRAIL_PIN", "SNAPTRAIL_RESTORE"):
        env.pop(name, None)
    if not_restored is not None:
        env["SNAPTRAIL_AIRFLOW_NOT_RESTORED"] = not_restored
        allow = env.get("SNAPTRAIL_ENV_ALLOW", "")
        env["SNAPTRAIL_ENV_ALLOW"] = f"{allow},SNAPTRAIL_AIRFLOW_NOT_RESTORED" if allow else "SNAPTRAIL_AIRFLOW_NOT_RESTORED"
    argv = [snaptrail_bin(), "wrap", "--python", sys.executable]
    code_dir = os.path.dirname(os.path.abspath(dag_file)) if dag_file else None
    if code_dir and os.path.isdir(code_dir):
        argv += ["--code-dir", code_dir]
    task = f"{context_env.get('AIRFLOW_CTX_DAG_ID', '')}.{context_env.get('AIRFLOW_CTX_TASK_ID', '')}"
    argv += ["--", sys.executable, "-m", "snaptrail_airflow.outcome", task]
    fd, log_path = tempfile.mkstemp(prefix="snaptrail-airflow-", suffix=".log")
    try:
        proc = subprocess.Popen(  # noqa: S603 - our own agent, no shell
            argv,
            stdin=subprocess.PIPE,
            stdout=fd,
            stderr=fd,
            env=env,
            cwd=code_dir or os.getcwd(),
            start_new_session=True,
        )
    except BaseException:
        os.unlink(log_path)
        raise
    finally:
        os.close(fd)
    return PendingRecord(proc, log_path)
