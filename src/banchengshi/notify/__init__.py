"""Notifications leave through an outbox: rows written in the transaction of the change,
sent after commit by `banchengshi outbox send` (or a worker), so nothing is lost or sent for a
change that rolled back (R-Q-4)."""
