"""Where the skill runs: the Flask web service and the AWS Lambda entry point."""
