"""Exporters: Markdown with figure crops, plain text, JSON. No Qt."""
