"""Carrier accounts: a workspace's own Twilio, Plivo or Exotel account, its credentials
encrypted at rest and never shown again."""
