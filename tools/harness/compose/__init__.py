"""docker-compose.yml, driven and checked the way a user runs it."""
