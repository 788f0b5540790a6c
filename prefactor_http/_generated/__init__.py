"""A client library for accessing Prefactor API"""
