"""The document model: documents, pages, results and their persistence. No Qt, no torch."""
