enum _PlaceholderRelay {}
