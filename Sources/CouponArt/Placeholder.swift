enum _CouponArtPlaceholder {}
