"""What goes in and out of the API, one module per area:

- base.py     the bounded input types, the output base (read by name from the rows:
              pydantic's from_attributes), local times, people's names, errors
- catalog.py  units, matters, causes, the caller
- cases.py    worklist, case lists and the case with its clocks, timeline and records
- inputs.py   the bodies of case registration and of every action
- notifications.py  a person's notices

Inputs are bounded (lengths, ranges, known choices, no NUL characters) so that malformed
requests get a 422, never a server error; the actions still make every business check.
Instants go out in ISO 8601 with the Asia/Shanghai offset."""
