"""Your implementations of the signup services: flowc writes each file once."""
