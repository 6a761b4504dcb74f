"""Service catalogue (R-CAT-1): the matters people come for; it drives automatic dispatch."""
