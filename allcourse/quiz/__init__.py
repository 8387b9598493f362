"""Questions: item models, pure scoring, widget rendering, validation and GIFT import/export."""
