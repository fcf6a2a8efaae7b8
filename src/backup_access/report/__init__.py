"""Rendering results for people (text) and machines (JSON)."""
