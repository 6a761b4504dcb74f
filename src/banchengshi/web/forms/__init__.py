"""Forms of the workbench: they turn posted text into the arguments of actions, nothing more."""
