"""Signing in, on the workbench and in the admin: the user name is read as every form reads
typed text (a control character is refused with a message, never sent to the database)."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import UsernameField
from django.core.exceptions import ValidationError

from banchengshi.org.login_guard import refusal_message
from banchengshi.web.forms.fields import TextField


class SignInName(UsernameField, TextField):
    """Django's user name field (NFKC-normalised, no autocapitalisation) as a TextField."""


class SignInForm(forms.Form):
    # Not required: an empty name is a wrong name, counted by the lockout like any other.
    username = SignInName(max_length=150, required=False)
    password = TextField(strip=False, required=False)

    def problem(self) -> str:
        """The first problem with what was typed, or ""."""
        return next((str(error) for errors in self.errors.values() for error in errors), "")


class AdminSignInForm(AdminAuthenticationForm):
    username = SignInName(widget=forms.TextInput(attrs={"autofocus": True}))

    def get_invalid_login_error(self) -> ValidationError:
        """The workbench's words: how many attempts are left, or that the name is locked."""
        return ValidationError(
            refusal_message(self.cleaned_data.get("username") or ""), code="invalid_login"
        )
