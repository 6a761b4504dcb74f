"""Template filters of the workbench pages."""
