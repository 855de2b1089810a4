"""Reports are read-only: this app has no models."""
