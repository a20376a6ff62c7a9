"""One module per ``ntprofile`` sub-command, discovered by ``ntprofile.cli``."""
