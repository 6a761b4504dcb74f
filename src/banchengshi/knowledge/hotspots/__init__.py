"""举一反三 and hot spots (R-KB-3): similar open cases linked into a group answered together,
and concentrations of cases (same matter, department or cause within a period) raised to the
office as alerts."""
