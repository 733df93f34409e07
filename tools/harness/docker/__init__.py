"""A Docker engine and the images the compose file needs, on a machine without a registry."""
