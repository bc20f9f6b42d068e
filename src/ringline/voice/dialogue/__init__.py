"""What the agent says when a call runs on the bundled models: replies grounded in the
assistant's prompt (its identity and facts), chosen by what the customer did, with no
free-form generation. Pure conversation logic; ``service`` puts it in a Pipecat pipeline."""

from ringline.voice.dialogue.conversation import Dialogue, Reply
from ringline.voice.dialogue.embedding import BundledEmbedder, Embedder, bundled_embedder
from ringline.voice.dialogue.intents import Intent, IntentRecogniser, Recognised
from ringline.voice.dialogue.prompt import Passage, PromptFacts, read_prompt

__all__ = [
    "BundledEmbedder",
    "Dialogue",
    "Embedder",
    "Intent",
    "IntentRecogniser",
    "Passage",
    "PromptFacts",
    "Recognised",
    "Reply",
    "bundled_embedder",
    "read_prompt",
]
