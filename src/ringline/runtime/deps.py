"""The typed dependency that gives a route this process's runtime."""

from starlette.requests import HTTPConnection

from ringline.runtime.process import Runtime
from ringline.state import app_state


def runtime_of(connection: HTTPConnection) -> Runtime:
    runtime = app_state(connection).live_calls
    if not isinstance(runtime, Runtime):
        raise RuntimeError("this process carries no calls: its runtime was not started")
    return runtime
