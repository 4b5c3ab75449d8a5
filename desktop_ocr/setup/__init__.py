"""Model management: the known models, downloading, local folders and the remote-code trust."""
