"""Tasks assigned by the plan: models arrive with the tasks issue."""
