"""Course map, navigation, progress and the glue that makes the notebooks a Voila app."""
