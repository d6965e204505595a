"""A stand-in for the Kubeflow Pipelines v2beta1 REST API, for tests on machines where KFP cannot run.

Every request body and every answer is checked against the official API models that KFP publishes
as the `kfp-server-api` package (generated from backend/api/v2beta1/*.proto): field names, types,
enums and nesting come from its models' `openapi_types` / `attribute_map`, never from this file.
A body with a field those models do not know is refused with HTTP 400, as KFP's gateway does
(it decodes JSON into the protos with unknown fields disallowed).

Endpoints (the ones snaptrail uses): GET /apis/v2beta1/runs/{run_id},
GET /apis/v2beta1/pipelines/{pipeline_id}/versions/{pipeline_version_id}, POST /apis/v2beta1/runs.
Bearer auth with one token. Test-only: GET /_fake/requests lists what was received.

    python fake_kfp_server.py STATE.json    # prints "listening on PORT" once it accepts connections

STATE.json: {"token": "...", "runs": [V2beta1Run...], "versions": [V2beta1PipelineVersion...],
"fail_status": 500 (optional: every API call answers that)}.
"""
import datetime
import json
import re
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import kfp_server_api.models as models


def check(value, type_name, path="$"):
    """The problems with `value` as the JSON form of `type_name` (an openapi_types name)."""
    if value is None:
        return []
    m = re.fullmatch(r"list\[(.+)\]", type_name)
    if m:
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        return [p for i, v in enumerate(value) for p in check(v, m.group(1), f"{path}[{i}]")]
    m = re.fullmatch(r"dict\(str, (.+)\)", type_name)
    if m:
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        return [p for k, v in value.items() for p in check(v, m.group(1), f"{path}.{k}")]
    if type_name == "object":
        return []
    if type_name == "str":
        return [] if isinstance(value, str) else [f"{path}: expected a string, got {type(value).__name__}"]
    if type_name == "int":
        # int64 travels as a string in proto3 JSON.
        ok = (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and re.fullmatch(r"-?\d+", value))
        return [] if ok else [f"{path}: expected an integer, got {value!r}"]
    if type_name == "float":
        return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else [f"{path}: expected a number, got {value!r}"]
    if type_name == "bool":
        return [] if isinstance(value, bool) else [f"{path}: expected true or false, got {value!r}"]
    if type_name in ("datetime", "date"):
        try:
            datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            return []
        except ValueError:
            return [f"{path}: expected an RFC 3339 time, got {value!r}"]
    cls = getattr(models, type_name, None)
    if cls is None:
        return [f"{path}: the models have no type {type_name} (fake server bug)"]
    allowed = getattr(cls, "allowable_values", None)
    if allowed is not None and not cls.openapi_types:
        return [] if value in allowed else [f"{path}: {value!r} is not one of {sorted(allowed)}"]
    if not isinstance(value, dict):
        return [f"{path}: expected a {type_name} object, got {type(value).__name__}"]
    by_json = {json_name: attr for attr, json_name in cls.attribute_map.items()}
    problems = []
    for key, v in value.items():
        attr = by_json.get(key)
        if attr is None:
            problems.append(f'{path}: unknown field "{key}" in {type_name}')
            continue
        problems.extend(check(v, cls.openapi_types[attr], f"{path}.{key}"))
    return problems


def status(code, grpc_code, message):
    body = {"code": grpc_code, "message": message, "details": []}
    assert not check(body, "GoogleRpcStatus"), check(body, "GoogleRpcStatus")
    return code, body


def root_parameters(spec):
    inner = spec.get("pipeline_spec", spec) if isinstance(spec, dict) else {}
    return (((inner or {}).get("root") or {}).get("inputDefinitions") or {}).get("parameters") or {}


class State:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        self.token = data["token"]
        self.fail_status = data.get("fail_status")
        self.runs = {}
        self.versions = {}
        for run in data.get("runs", []):
            problems = check(run, "V2beta1Run")
            if problems:
                raise SystemExit(f"state: a seeded run is not a V2beta1Run: {problems}")
            self.runs[run["run_id"]] = run
        for version in data.get("versions", []):
            problems = check(version, "V2beta1PipelineVersion")
            if problems:
                raise SystemExit(f"state: a seeded version is not a V2beta1PipelineVersion: {problems}")
            self.versions[(version["pipeline_id"], version["pipeline_version_id"])] = version
        self.requests = []
        self.lock = threading.Lock()

    def handle(self, method, path, headers, raw):
        if self.fail_status:
            return status(self.fail_status, 13, "internal error: the fake is set to fail")
        auth = headers.get("Authorization", "")
        if auth != f"Bearer {self.token}":
            return status(401, 16, "Unauthenticated: the request has no valid bearer token" if auth else "Unauthenticated: no Authorization header")
        m = re.fullmatch(r"/apis/v2beta1/runs/([^/:]+)", path)
        if method == "GET" and m:
            run = self.runs.get(m.group(1))
            return (200, run) if run else status(404, 5, f"Failed to get run: ResourceNotFoundError: Run {m.group(1)} not found")
        m = re.fullmatch(r"/apis/v2beta1/pipelines/([^/]+)/versions/([^/]+)", path)
        if method == "GET" and m:
            version = self.versions.get((m.group(1), m.group(2)))
            return (200, version) if version else status(404, 5, f"Failed to get pipeline version: ResourceNotFoundError: PipelineVersion {m.group(2)} not found")
        if method == "POST" and path == "/apis/v2beta1/runs":
            try:
                body = json.loads(raw or b"{}")
            except ValueError as e:
                return status(400, 3, f"proto: syntax error: {e}")
            problems = check(body, "V2beta1Run")
            if problems:
                return status(400, 3, "proto: " + "; ".join(problems))
            if not body.get("display_name"):
                return status(400, 3, "Failed to create a run: Invalid input error: The run name is empty. Please specify a valid name")
            for output_only in ("run_id", "state", "created_at", "finished_at", "run_details"):
                if body.get(output_only) not in (None, "", {}):
                    return status(400, 3, f"Failed to create a run: Invalid input error: {output_only} is an output field")
            ref = body.get("pipeline_version_reference")
            if ref:
                version = self.versions.get((ref.get("pipeline_id", ""), ref.get("pipeline_version_id", "")))
                if version is None:
                    return status(404, 5, f"Failed to create a run: ResourceNotFoundError: PipelineVersion {ref.get('pipeline_version_id')} not found")
                spec = version.get("pipeline_spec")
            elif body.get("pipeline_spec"):
                spec = body["pipeline_spec"]
            else:
                return status(400, 3, "Failed to create a run: Invalid input error: a pipeline version reference or a pipeline spec is required")
            declared = root_parameters(spec)
            for name in ((body.get("runtime_config") or {}).get("parameters") or {}):
                if name not in declared:
                    return status(400, 3, f"Failed to create a run: Invalid input error: parameter {name} is not an input of the pipeline")
            run = dict(body)
            run.update(run_id=str(uuid.uuid4()), state="PENDING", created_at=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), storage_state="AVAILABLE")
            self.runs[run["run_id"]] = run
            return 200, run
        return status(404, 5, f"Not Found: {method} {path}")


def main():
    state = State(sys.argv[1])

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, code, body):
            text = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

        def _serve(self, method):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if method == "POST" else b""
            path = self.path.split("?", 1)[0]
            if method == "GET" and path == "/_fake/requests":
                with state.lock:
                    return self._answer(200, state.requests)
            with state.lock:
                try:
                    parsed = json.loads(raw) if raw else None
                except ValueError:
                    parsed = raw.decode("utf-8", "replace")
                state.requests.append({"method": method, "path": path, "authorization": self.headers.get("Authorization", ""), "body": parsed})
                code, body = state.handle(method, path, self.headers, raw)
            # Every answer must be what the models say KFP answers.
            kind = "V2beta1PipelineVersion" if "/versions/" in path and code == 200 else ("V2beta1Run" if code == 200 else "GoogleRpcStatus")
            problems = check(body, kind)
            if problems:
                code, body = 500, {"code": 13, "message": f"fake server bug: its answer is not a {kind}: {problems}", "details": []}
            self._answer(code, body)

        def do_GET(self):
            self._serve("GET")

        def do_POST(self):
            self._serve("POST")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
