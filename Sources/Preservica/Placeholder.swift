enum _PlaceholderPreservica {}
