"""GPUBROKER client for services: the generated gRPC stubs (``gpubroker.v1``) behind one
:class:`Client` that adds credentials, retries of idempotent calls and typed errors."""

from gpubroker.client import Client, FieldViolation, GpubrokerError, IDEMPOTENT_METHODS

__all__ = ["Client", "FieldViolation", "GpubrokerError", "IDEMPOTENT_METHODS"]
