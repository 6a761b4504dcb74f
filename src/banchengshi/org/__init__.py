"""Organisation (R-ORG): the unit tree, people's memberships (a role in a unit), and scope."""
