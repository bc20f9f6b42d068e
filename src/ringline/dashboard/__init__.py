"""The operator's web pages: server-rendered HTML over the domains' service functions."""
