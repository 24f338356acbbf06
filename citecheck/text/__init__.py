"""Pure-text checks: mojibake and characters lost in lossy conversions."""
