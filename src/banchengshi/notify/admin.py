"""The notify app's admin pages: webhook endpoints and their delivery log."""

from banchengshi.notify.webhooks import admin as _webhooks  # noqa: F401
