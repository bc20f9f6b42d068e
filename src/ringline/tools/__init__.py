"""An assistant's HTTP tools: the endpoints its calls may call mid-conversation."""
