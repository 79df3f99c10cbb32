"""The web portal: pages for people, thin views over the same selectors and services as the API."""
