"""Targets and live progress: models arrive with the targets issue."""
