// `CommandFailure`, `ContextualFailure` and the shared `runAsMain` live in
// CommandLineEntry; every file of this module (and the `coupon` executable) sees them.
@_exported public import CommandLineEntry
