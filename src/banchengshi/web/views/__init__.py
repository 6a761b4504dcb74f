"""Views, one module per area of the workbench and the public site; each stays thin."""
