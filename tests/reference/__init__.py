"""Readable array references of the compiled phase kernels."""
