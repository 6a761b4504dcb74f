"""Staff workbench and public pages: thin views over actions and selectors."""
