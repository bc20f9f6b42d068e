from datetime import datetime
from typing import Annotated, Literal

from pipecat.services.openai.tts import VALID_VOICES
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, SecretStr

Stage = Literal["llm", "stt", "tts"]
OPENAI_VOICES = tuple(sorted(VALID_VOICES))


class ProviderSet(BaseModel):
    """A hosted service for one stage of the workspace's calls."""

    model_config = ConfigDict(extra="forbid")

    # The wire protocol; "openai" is any OpenAI-compatible API (OpenAI, Groq, Together,
    # vLLM, Ollama, LocalAI...): chat completions, audio transcriptions, audio speech.
    protocol: Literal["openai"] = "openai"
    base_url: AnyHttpUrl = Field(examples=["https://api.openai.com/v1"])
    model: Annotated[str, Field(min_length=1, max_length=128, examples=["gpt-4o-mini"])]
    api_key: Annotated[SecretStr, Field(min_length=1, max_length=512)]
    # Text-to-speech only, and required there: one of the protocol's voices.
    voice: Literal[OPENAI_VOICES] | None = None  # type: ignore[valid-type]


class ProviderRead(BaseModel):
    """A stage's hosted service; its API key is never shown again."""

    model_config = ConfigDict(from_attributes=True)

    stage: Stage
    protocol: str
    base_url: str
    model: str
    voice: str | None
    updated_at: datetime


class ProviderList(BaseModel):
    """The stages served by hosted providers; the others use ringline's bundled models."""

    providers: list[ProviderRead]
