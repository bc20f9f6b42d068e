"""Knowledge base: a workspace's documents, chunked and embedded, that assistants answer from."""
