"""The ./dev commands, one module per command (or close family of them)."""
