"""Generated from proto/gpubroker/v1 by clients/generate; do not edit."""
