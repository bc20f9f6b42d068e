"""What an operator watches: the process's metrics and whether it is ready for traffic."""
