"""API tokens of the systems that call in (the REST API's bearer tokens, Open311's api_key):
one app both the API and intake use, so that neither imports the other for authentication."""
