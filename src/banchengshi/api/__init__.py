"""The versioned REST API (R-API-1): django-ninja routers over the actions and selectors."""
