"""Signed outbound webhooks (R-API-3), after the Standard Webhooks specification: endpoints
subscribe to case events; every case event (one per change, whichever app made it, heard on
`audit.chain.events_appended`) becomes one outbox message per subscribed enabled endpoint in
the change's own transaction; the outbox delivers it with `delivery.deliver_webhook`, the
sender of its `webhook` channel. Both are wired in `apps.WebhooksConfig.ready()`: cases, audit
and notify know nothing of this app.

    apps.py       registers the sender and the listener
    models.py     WebhookEndpoint (URL, events, secret, enabled, failures), WebhookDelivery
    signing.py    secrets (whsec_…), the three headers
    emission.py   case event → outbox messages (the receiver of events_appended)
    delivery.py   deliver_webhook(message): POST, log the attempt, disable after N failures
    actions.py    adding, removing, enabling endpoints (CLI and admin), their validation
    selectors.py  the endpoint list with each one's last status
    admin.py      the same in the Django admin
    management/commands/webhook.py   `banchengshi webhook add | list | remove | enable`
"""
