"""Phone numbers: registered per workspace on a carrier, each answered by an assistant."""
