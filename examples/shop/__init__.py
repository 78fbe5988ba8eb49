"""A small shop backend: the example `make run` scans.

Every leak in it is deliberate and fake; `keyleak check examples/shop`
should find each one. See README.md beside this file.
"""
