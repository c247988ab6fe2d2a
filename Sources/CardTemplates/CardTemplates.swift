/// Cards from templates: the Adaptive Cards Templating engine arrives with its issue.
