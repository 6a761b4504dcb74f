"""Cases: models, state machine, actions (writes) and selectors (reads)."""
