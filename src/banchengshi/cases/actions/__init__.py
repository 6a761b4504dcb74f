"""Every change of a case, one module per area (Zulip's `zerver/actions/`).

`check_*` validates the input (and whatever needs no lock) and calls `do_*`, which works
inside `common.changing_case`: the case row locked, the person's right, the state, the
action's precondition (cases.preconditions) and the version checked, then the change, the
version bumped and one audit event (cases.events) appended, all in one transaction.
Notifications go to the outbox in the same transaction. An action whose input needs no
checking has only its `do_*`.

- registration: a new appeal from any channel, with its tracking number
- dispatch: screening, automatic and manual dispatch, receipt, return, downward dispatch,
  resolution on the spot
- cohandling: asking another unit to co-handle, and its answer
- handling: contact with the petitioner, the cause analysis
- clock_requests: extension and suspension requests, their decision, resumption
- answer: the reply, return visits and the petitioner's rating, supervision, closing
- window: the window's registration form, registered and dealt with in one step
- tablet: the window's tablet handed to the petitioner, and the rating taken on it
"""
