"""The development backend: the message's words in the log, with its secrets blanked and the
phone masked (a log is no place for an access code). Nothing leaves."""

from __future__ import annotations

import logging

from banchengshi.identifiers import mask_phone
from banchengshi.notify.sms import Sms

log = logging.getLogger("banchengshi.notify")


def send(sms: Sms) -> None:
    log.info("sms to %s: %s", mask_phone(sms.phone), sms.text)
