"""Jobmon: the Python client of the Jobmon workflow manager (``jobmon.client``)."""
