"""The stack harness behind ./dev: typed, tested Python (standard library only).

Run as `python3 -m harness COMMAND` with tools/ on PYTHONPATH; ./dev does exactly that.
"""
