"""The languages an assistant can speak and the voices it can speak with.

A voice name is provider-neutral: each maps to one voice per TTS provider. The bundled
offline TTS ships a single voice (piper ``joe``, US English, male), so offline every name
sounds the same until a hosted provider is configured.
"""

from dataclasses import dataclass, field

LANGUAGES: dict[str, str] = {
    "en": "English",
    "en-in": "English (India)",
    "en-us": "English (United States)",
    "en-gb": "English (United Kingdom)",
    "hi": "Hindi",
    "en-hi": "Hinglish (English and Hindi mixed)",
    "bn": "Bengali",
    "gu": "Gujarati",
    "kn": "Kannada",
    "ml": "Malayalam",
    "mr": "Marathi",
    "or": "Odia",
    "pa": "Punjabi",
    "ta": "Tamil",
    "te": "Telugu",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "pt": "Portuguese",
}

BUNDLED_VOICE = "joe"


@dataclass(frozen=True)
class Voice:
    name: str
    gender: str
    description: str
    providers: dict[str, str] = field(default_factory=dict)


def _voice(name: str, gender: str, description: str, **providers: str) -> Voice:
    return Voice(name, gender, description, {"piper": BUNDLED_VOICE, **providers})


VOICES: dict[str, Voice] = {
    voice.name: voice
    for voice in [
        _voice(
            "female-1",
            "female",
            "Warm, calm",
            elevenlabs="21m00Tcm4TlvDq8ikWAM",
            deepgram="aura-asteria-en",
            sarvam="anushka",
        ),
        _voice(
            "female-2",
            "female",
            "Bright, energetic",
            elevenlabs="EXAVITQu4vr4xnSDxMaL",
            deepgram="aura-luna-en",
            sarvam="manisha",
        ),
        _voice(
            "male-1",
            "male",
            "Steady, reassuring",
            elevenlabs="pNInz6obpgDQGcFmaJgB",
            deepgram="aura-orion-en",
            sarvam="abhilash",
        ),
        _voice(
            "male-2",
            "male",
            "Friendly, upbeat",
            elevenlabs="ErXwobaYiN019PkySvjV",
            deepgram="aura-arcas-en",
            sarvam="karun",
        ),
    ]
}

DEFAULT_DISPOSITIONS = ["interested", "not_interested", "callback_requested", "other"]
