"""Click commands beyond `check` and `rule`, one module per concern; each module lists its COMMANDS."""

MODULES = ("report", "impact", "feedback", "authoring", "demo", "ledger", "export", "operations", "members", "importing")
