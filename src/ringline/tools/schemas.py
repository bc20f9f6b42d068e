"""How an assistant declares an HTTP tool, checked when the assistant is saved."""

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from ringline.webhooks.delivery import HeaderName, HeaderValue, is_own_header
from ringline.webhooks.safety import check_syntax

# The engine's own tools: an HTTP tool may not take their names.
BUILT_IN = frozenset({"end_call", "send_dtmf", "transfer_call", "schedule_callback"})
PARAMETER_TYPES = ("string", "number", "integer", "boolean")
MAX_TOOLS = 10
DEFAULT_FILLER = "One moment while I check that."


class Parameter(BaseModel):
    """One argument: a flat value, so the bundled dialogue can take it from what was said."""

    model_config = ConfigDict(extra="allow")  # JSON Schema's other keywords pass through

    type: Literal["string", "number", "integer", "boolean"]
    description: str = Field("", max_length=500)
    enum: list[str | int | float] | None = Field(None, min_length=1, max_length=50)
    pattern: str | None = Field(None, max_length=200)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern is not a regular expression: {exc}") from None
        return pattern


ParameterName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


class Parameters(BaseModel):
    """A JSON Schema object of flat properties (OpenAI's function ``parameters``)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["object"] = "object"
    properties: dict[ParameterName, Parameter] = Field(default_factory=dict, max_length=20)
    required: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _required_are_properties(self) -> "Parameters":
        unknown = [name for name in self.required if name not in self.properties]
        if unknown:
            raise ValueError(f"required names no property: {', '.join(unknown)}")
        return self


def _not_built_in(name: str) -> str:
    if name in BUILT_IN:
        raise ValueError(f"'{name}' is a built-in tool's name; choose another")
    return name


def _own_headers_untouched(headers: dict[str, str]) -> dict[str, str]:
    taken = [name for name in headers if is_own_header(name)]
    if taken:
        raise ValueError(f"headers ringline sets itself: {', '.join(taken)}")
    return headers


ToolName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$"), AfterValidator(_not_built_in)]


class HttpTool(BaseModel):
    """An endpoint of the business the agent may call during a call (``tools`` of an
    assistant): the call's ID, variables and the arguments go to it, signed like a
    webhook; its JSON answer goes back into the conversation."""

    model_config = ConfigDict(extra="forbid")

    name: ToolName
    description: str = Field(
        min_length=1, max_length=1_000, description="When to use it, in the customer's words"
    )
    parameters: Parameters = Field(default_factory=Parameters)
    url: Annotated[str, Field(max_length=2_048), AfterValidator(check_syntax)]
    # The call and its arguments travel as a signed JSON body: methods that carry one.
    method: Literal["POST", "PUT", "PATCH"] = "POST"
    headers: Annotated[
        dict[HeaderName, HeaderValue],
        Field(max_length=20),
        AfterValidator(_own_headers_untouched),
    ] = Field(default_factory=dict)
    timeout_seconds: float = Field(10.0, ge=0.5, le=30.0)
    filler: bool = Field(True, description="Say a short line when the answer takes over 1 s")
    filler_message: str = Field(DEFAULT_FILLER, min_length=1, max_length=300)


def _unique_names(tools: list[HttpTool]) -> list[HttpTool]:
    names = [tool.name for tool in tools]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"tool names must be unique: {', '.join(repeated)}")
    return tools


Tools = Annotated[list[HttpTool], Field(max_length=MAX_TOOLS), AfterValidator(_unique_names)]
