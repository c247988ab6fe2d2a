enum _PlaceholderCardTemplates {}
