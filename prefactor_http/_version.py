"""The distribution's name and version, read by the SDK header and by wrapping SDKs."""

PACKAGE_NAME = "prefactor-http"
PACKAGE_VERSION = "0.5.0"

__all__ = ["PACKAGE_NAME", "PACKAGE_VERSION"]
