"""Hash-chained audit trail (R-REP-5): every change with who, when, what, before and after.

Each event carries the hash of the event before it, over the whole system, so that changing
or removing any event breaks the chain at that point; `banchengshi audit verify` finds it.
"""
