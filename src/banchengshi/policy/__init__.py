"""Time-limit policies (R-SLA-3): data files in `files/`, validated at load, versioned.

A deployment runs under one policy (setting BANCHENGSHI_POLICY); a case keeps the name and
version it was accepted under. The differences between districts live in these files only.
"""
