"""The import wizard and its helpers: preview a file, map its columns, import as one undo step."""
