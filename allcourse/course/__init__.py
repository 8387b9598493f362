"""Course content, the bottom layer: where files live, loading YAML into models, the course
map, references and Markdown. It imports nothing else from `allcourse`."""
