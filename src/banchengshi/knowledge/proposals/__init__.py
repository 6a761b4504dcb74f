"""Proposals at registration (R-IN-5, R-IN-7): category, complexity, matter and responsible
unit from the text and the catalogue, each with its reason; what staff did with them."""
