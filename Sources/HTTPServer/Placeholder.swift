enum _PlaceholderHTTPServer {}
