enum _WatermarkPlaceholder {}
