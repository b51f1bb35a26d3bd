"""Offset retirement and carbon neutrality (``contracts/offset/``). Reserved for the offset domain."""
