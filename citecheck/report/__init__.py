"""Output formats: each module renders a finished run; none of them decides anything."""

FORMATS = ("text", "json", "sarif", "github", "junit")
