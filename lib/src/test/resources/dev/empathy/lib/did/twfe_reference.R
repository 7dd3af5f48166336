# Two-way fixed effects with errors clustered by unit, for TwoWayFixedEffectsTest: the panel of
# cs_reference.py (its cells, printed by that script), expanded to one row per observation with
# values that scatter around the cell mean and add up to the cell sum (the estimate and the
# cluster-robust error depend on the cell sums alone, which this checks). R 4.2.2, sandwich 3.x.
# Run: Rscript twfe_reference.R
library(sandwich)
cells <- read.csv(text = "unit,period,count,sum
u0,1,3,-6.865
u0,2,2,0.7913
u0,3,4,6.1469
u0,4,3,10.6765
u0,5,5,16.0708
u0,6,4,17.7926
u1,1,5,4.057
u1,2,4,4.0532
u1,3,2,3.8066
u1,5,3,7.8982
u1,6,3,11.883
u2,1,4,2.7649
u2,2,5,7.8657
u2,3,5,14.7646
u2,4,2,10.483
u2,5,5,16.4832
u2,6,3,13.1729
u3,1,1,1.0674
u3,2,5,7.1248
u3,3,3,2.9575
u3,4,4,9.3819
u3,5,3,6.7696
u3,6,4,14.7176
u4,1,2,4.9672
u4,3,2,1.8365
u4,4,4,11.2382
u4,5,3,14.1492
u4,6,4,23.3708
u5,1,4,13.9284
u5,2,1,1.5545
u5,3,4,7.0315
u5,4,4,13.4483
u5,5,2,5.2937
u5,6,5,17.8307
u6,1,5,5.515
u6,2,3,6.1241
u6,3,4,15.8709
u6,5,1,4.0125
u6,6,1,3.534
u7,1,1,1.3952
u7,2,2,9.6912
u7,3,2,6.6912
u7,4,2,9.2484
u7,5,4,7.8288
u7,6,4,11.1313
u8,1,5,19.8175
u8,2,5,12.4554
u8,3,1,3.3276
u8,4,4,10.3334
u8,5,1,1.774
u9,1,4,12.5122
u9,3,4,12.0007
u9,4,1,4.7681
u9,5,3,13.0646
u9,6,2,8.0847
u10,1,3,14.014
u10,2,5,19.3377
u10,3,5,17.9749
u10,4,5,13.6705
u10,5,5,11.4618
u10,6,3,11.1325
u11,1,4,19.3963
u11,2,4,17.0375
u11,3,2,11.6244
u11,4,1,6.5083
u11,5,1,6.8355
u11,6,1,7.6864")
first <- c(u0 = 3, u1 = 3, u2 = 3, u3 = 4, u4 = 4, u5 = 5, u6 = 5, u7 = 0, u8 = 0, u9 = 0, u10 = 0, u11 = 1)
rows <- do.call(rbind, lapply(seq_len(nrow(cells)), function(r) {
  c <- cells[r, ]
  k <- seq_len(c$count)
  jitter <- if (c$count > 1) 0.7 * (k - mean(k)) else 0      # sums to zero within the cell
  data.frame(unit = c$unit, period = c$period, y = c$sum / c$count + jitter)
}))
g <- first[rows$unit]
rows$trained <- as.numeric(g > 0 & rows$period >= g)
fit <- lm(y ~ trained + factor(period) + factor(unit), data = rows)
N <- nrow(rows); G <- length(unique(rows$unit))
K <- 1 + length(unique(rows$period)) - 1                        # trained and the period dummies
v <- vcovCL(fit, cluster = ~unit, type = "HC0", cadjust = TRUE)  # G / (G - 1) * sandwich
se <- sqrt(v["trained", "trained"] * (N - 1) / (N - K))         # CR1 without the unit effects in K
b <- coef(fit)[["trained"]]
q <- qt(0.975, G - 1)
print(sprintf("N %d G %d beta %.17g se %.17g low %.17g high %.17g p %.17g", N, G, b, se, b - q * se, b + q * se,
              2 * pt(-abs(b / se), G - 1)))
