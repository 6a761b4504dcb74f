"""Evaluation changes, one module per area (as cases/actions): recording from each channel,
invitations, the window's tablet, the handling of a 差评, appeals."""
