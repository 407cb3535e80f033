"""The package's exception."""


class Error(Exception):
    """A refusal or failure: the genrank program's one-line message (or the
    package's own, for arguments it rejects before running the program).

    .message   the line, without the leading "genrank: "
    .status    the program's exit status (None when it did not run)
    """

    def __init__(self, message, status=None):
        Exception.__init__(self, message)
        self.message = message
        self.status = status
