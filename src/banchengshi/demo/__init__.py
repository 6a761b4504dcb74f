"""The demo district that `make run` loads (`banchengshi demo`)."""
