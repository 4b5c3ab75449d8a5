"""Set-up, no Qt: GPU detection and advice, the GPU add-on, the known models, downloading, local model
folders and the remote-code trust; ``service.SetupService`` is what the set-up dialogs use."""
