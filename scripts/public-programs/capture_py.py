"""Runs one public Python Pulumi program under the Pulumi SDK's mocks (pulumi.runtime.set_mocks) and
writes what the engine would have recorded as a `pulumi stack export` (version 3) file, like
capture-ts.js does for TypeScript; the mocks themselves are mocks.js, reached through mocks-server.js.

usage: python capture_py.py <program dir> <out file> preview|up [<config json>]
"""
import asyncio
import importlib.abc
import importlib.util
import json
import os
import re
import runpy
import subprocess
import sys
import threading
import time
import types

program_dir, out_file, mode = sys.argv[1:4]
config_in = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
preview = mode == "preview"
here = os.path.dirname(os.path.abspath(__file__))
out_file = os.path.abspath(out_file)

with open(os.path.join(program_dir, "Pulumi.yaml"), encoding="utf-8") as f:
    project = re.search(r"^name:\s*[\"']?([^\"'\s]+)", f.read(), re.M).group(1)

config = {
    "aws:region": "us-west-2",
    "gcp:project": "pulumi-examples-489210",
    "gcp:region": "us-central1",
    "azure-native:location": "westus2",
    "azure:location": "westus2",
}
secret_keys = []
for k, v in config_in.items():
    key = k if ":" in k else f"{project}:{k}"
    if isinstance(v, dict) and list(v) == ["secret"]:
        v = v["secret"]
        secret_keys.append(key)
    config[key] = v if isinstance(v, str) else json.dumps(v)
os.environ["PULUMI_CONFIG"] = json.dumps(config)
os.environ["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(secret_keys)

server = subprocess.Popen(["node", os.path.join(here, "mocks-server.js"), mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


lock = threading.Lock()


def ask(request):
    # The SDK calls the mocks from several threads: one request and its answer at a time.
    with lock:
        server.stdin.write(json.dumps(request) + "\n")
        server.stdin.flush()
        answer = json.loads(server.stdout.readline())
    if isinstance(answer, dict) and "error" in answer and len(answer) == 1:
        raise RuntimeError(answer["error"])
    return answer


import pulumi  # noqa: E402  (config must be in the environment first)
from google.protobuf import json_format  # noqa: E402
from pulumi.runtime import mocks as sdk_mocks  # noqa: E402
from pulumi.runtime import rpc  # noqa: E402
from pulumi.runtime.stack import wait_for_rpcs  # noqa: E402
from pulumi.runtime.sync_await import _sync_await  # noqa: E402


def plain_json(value):
    """Inputs as JSON, the way the engine hands them on (protobuf numbers are doubles: whole ones become ints)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [plain_json(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_json(v) for k, v in value.items()}
    return value


def for_node(value):
    """Deserialized mock inputs made JSON-safe for the mocks (unknowns as the engine's sentinel)."""
    if isinstance(value, dict):
        return {k: for_node(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [for_node(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if type(value).__name__ == "Unknown":
        return rpc.UNKNOWN
    return str(value)


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        r = ask({"op": "newResource", "type": args.typ, "name": args.name, "inputs": for_node(args.inputs), "custom": args.custom})
        return r.get("id"), r.get("state") or {}

    def call(self, args):
        return ask({"op": "call", "token": args.token, "inputs": for_node(args.args)})


registrations = []
original = sdk_mocks.MockMonitor.RegisterResource


def register(self, request):
    response = original(self, request)
    try:
        record(request, response)
    except Exception as e:  # the SDK would swallow it: make it visible and fail the capture
        print(f"capture failed on {request.type} {request.name}: {e!r}", file=sys.stderr)
        os._exit(1)
    return response


def record(request, response):
    if request.type != "pulumi:pulumi:Stack":
        entry = {
            "type": request.type,
            "name": request.name,
            "custom": bool(request.custom),
            "dependencies": list(request.dependencies),
            "propertyDependencies": {k: list(v.urns) for k, v in request.propertyDependencies.items()},
            "inputs": plain_json(json_format.MessageToDict(request.object)),
            "urn": response.urn,
            "outputs": plain_json(json_format.MessageToDict(response.object)) if response.object else {},
        }
        if request.parent:
            entry["parent"] = request.parent
        if response.id:
            entry["id"] = response.id
        registrations.append(entry)


sdk_mocks.MockMonitor.RegisterResource = register
original_supports = sdk_mocks.MockMonitor.SupportsFeature


def supports(self, request):
    # Resources passed as inputs go over as their ids, as the engine hands them to a provider; with
    # references on, the mock monitor waits forever on rehydrating some of them.
    if request.id == "resourceReferences":
        return type("SupportsFeatureResponse", (object,), {"hasSupport": False})
    return original_supports(self, request)


sdk_mocks.MockMonitor.SupportsFeature = supports
pulumi.runtime.set_mocks(Mocks(), project=project, stack="dev", preview=preview)

class _Stub:
    """Stands in for anything a library the program's function code uses at run time would give."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return _Stub()

    def __getattr__(self, name):
        return _Stub()


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Libraries that are not installed (boto3, Slack clients...) import as inert modules; Pulumi packages never do."""

    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0].startswith("pulumi"):
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=True)

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = lambda name: _Stub
        return module

    def exec_module(self, module):
        pass


sys.meta_path.append(_StubFinder())
# Programs that name things after the clock (gcp-py-functions) get the same names on every capture.
time.time = lambda: 1765000000.0
os.chdir(program_dir)
sys.path.insert(0, program_dir)
main = os.path.join(program_dir, "__main__.py")
runpy.run_path(main if os.path.exists(main) else program_dir, run_name="__main__")
for _ in range(5):
    _sync_await(wait_for_rpcs())
    _sync_await(asyncio.sleep(0.05))

# The mock monitor names URNs from its own thread, where the project and stack settings don't reach,
# and prefixes the root stack's type to its children's: write them as the engine does.
mock_prefix = "urn:pulumi:stack::project::"
real_prefix = f"urn:pulumi:dev::{project}::"


def engine_urn(urn):
    return real_prefix + urn[len(mock_prefix):].replace("pulumi:pulumi:Stack$", "", 1) if urn.startswith(mock_prefix) else urn


for r in registrations:
    r["urn"] = engine_urn(r["urn"])
    r["dependencies"] = [engine_urn(u) for u in r["dependencies"]]
    r["propertyDependencies"] = {k: [engine_urn(u) for u in v] for k, v in r["propertyDependencies"].items()}
    if r.get("parent"):
        r["parent"] = engine_urn(r["parent"])
        if r["parent"].endswith("::pulumi:pulumi:Stack::" + r["parent"].split("::")[-1]) or "pulumi:pulumi:Stack" in r["parent"]:
            del r["parent"]
result = ask({"op": "export", "registrations": registrations, "file": out_file})
print(f"{result['resources']} resources")
server.stdin.close()
server.wait()
