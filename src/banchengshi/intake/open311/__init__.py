"""Open311 GeoReport v2 at /open311/v2/ (R-API-2): the public catalogue as services, appeals
as service requests, in XML (required by the specification) and JSON."""
