"""The service's views: each checks who may see what and calls the library."""
