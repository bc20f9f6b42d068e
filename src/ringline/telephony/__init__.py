"""Carriers: how calls reach phones, and the audio formats phone lines carry."""
