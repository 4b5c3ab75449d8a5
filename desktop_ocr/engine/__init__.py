"""OCR engines: the interface, the registry, the embedded CPU engine and DeepSeek-OCR. Only this package imports torch."""
