"""The application layer: the use cases both front ends (console.ui controllers, console.cli commands) call.

Prepare a send (jobs), run it (job_runner), dry run (dryrun), the overlap check (overlap), the OA audience (audience),
scheduled sends (schedule). Each rule lives here once; the shells only translate input and render output.
Depends on console.core only; never on PySide6/qasync, console.ui or console.cli (tests/architecture).
"""
