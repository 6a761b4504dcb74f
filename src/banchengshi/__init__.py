"""Banchengshi (办成事): case handling for the '办不成事' reflection window."""
