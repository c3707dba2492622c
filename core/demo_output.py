"""What every app's demo seed shares."""


def say(stdout, text: str) -> None:
    """Report a demo step on the command's output; tests call the seeds without one."""
    if stdout is not None:
        stdout.write(text)
