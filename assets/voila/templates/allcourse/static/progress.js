// Marks completed modules in the navigation (progress feature).
