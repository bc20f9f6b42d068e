"""Web calls: a visitor talks to an assistant from a browser through the embeddable widget."""
