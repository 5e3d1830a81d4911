"""The ``cramp-coach`` subcommands, one module each: each adds its parser and runs its job.

Each imports what it needs only when it runs, so ``--help`` stays quick and ``chat`` never
loads Flask."""
