"""Signing in: the two values typed, read as every form reads text."""

from __future__ import annotations

from django import forms

from banchengshi.web.forms.fields import TextField


class SignInForm(forms.Form):
    # Not required: an empty name is a wrong name, counted by the lockout like any other.
    username = TextField(max_length=150, required=False)
    password = TextField(strip=False, required=False)

    def problem(self) -> str:
        """The first problem with what was typed, or ""."""
        return next((str(error) for errors in self.errors.values() for error in errors), "")
