"""The voice engine: one call's pipeline, its provider services and post-call analysis."""
