"""Webhooks: endpoints a workspace registers, and the durable, signed, retried delivery of events.

Other modules call ``service.enqueue_event`` inside the transaction that caused the event;
the ``dispatcher`` sends the committed messages (see docs/webhooks.md).
"""
