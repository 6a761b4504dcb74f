"""Rectification of department-side causes (R-KB-2): rules (data), actions, the listener that
opens items from the cause analysis, reminders, selectors."""
