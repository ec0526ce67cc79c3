"""Framework versions: what changed between two (diff) and carrying answers across (migrate)."""
