"""The blocking twin of prefactor_http/endpoints/."""
