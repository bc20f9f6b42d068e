"""The sandbox carrier's directory: which simulated person answers which number."""
