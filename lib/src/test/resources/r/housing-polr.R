# R 4.2.2, MASS 7.3-58.2. Writes housing.csv and prints the figures OrderedLogitAgainstRTest quotes.
# Run from this folder: Rscript housing-polr.R
Sys.setlocale("LC_COLLATE", "C")   # text levels sort by code point, as the formula language does
library(MASS)
options(digits = 15)

# MASS::housing has one row per cell with a count (Freq); one row per resident instead.
h <- housing[rep(seq_len(nrow(housing)), housing$Freq), c("Sat", "Infl", "Type", "Cont")]
d <- data.frame(sat = as.integer(h$Sat), infl = as.character(h$Infl), type = as.character(h$Type),
                cont = as.character(h$Cont), block = as.integer(interaction(h$Infl, h$Type, h$Cont, drop = TRUE)))
write.csv(d, "housing.csv", row.names = FALSE)
d <- read.csv("housing.csv")

m <- polr(factor(sat) ~ infl + type + cont, data = d, Hess = TRUE, control = list(reltol = 1e-12))
print(summary(m)); print(logLik(m))
print(logLik(polr(factor(sat) ~ 1, data = d, control = list(reltol = 1e-12))))

# polr stops BFGS near its optimum and differentiates its gradient numerically for the Hessian.
# The score S (n x p) and the Hessian H of the log-likelihood in theta = (beta, zeta), written out:
# a = zeta_y - x'beta, b = zeta_(y-1) - x'beta, p = F(a) - F(b).
X <- model.matrix(~ infl + type + cont, d)[, -1]; y <- d$sat; n <- nrow(X)
derivs <- function(theta) {
  k <- ncol(X); q <- length(theta) - k
  eta <- drop(X %*% theta[1:k]); zz <- c(-Inf, theta[k + 1:q], Inf)
  a <- zz[y + 1] - eta; bb <- zz[y] - eta; pr <- plogis(a) - plogis(bb)
  la <- dlogis(a) / pr; lb <- -dlogis(bb) / pr
  dd <- function(t) ifelse(is.finite(t), dlogis(t) * (1 - 2 * plogis(t)), 0)
  laa <- dd(a) / pr - la^2; lbb <- -dd(bb) / pr - lb^2; lab <- -la * lb
  E <- function(j) outer(seq_len(n), seq_len(q), function(i, l) as.numeric(l == j[i]))
  DA <- cbind(-X, E(y)); DB <- cbind(-X, E(y - 1))
  list(S = la * DA + lb * DB, ll = sum(log(pr)),
       H = crossprod(DA, laa * DA) + crossprod(DB, lbb * DB) + crossprod(DA, lab * DB) + crossprod(DB, lab * DA))
}
# Three Newton steps from polr's estimates, to the maximum (score about 2e-14).
theta <- c(coef(m), m$zeta)
for (i in 1:3) { g <- derivs(theta); theta <- theta - solve(g$H, colSums(g$S)) }
g <- derivs(theta); p <- length(theta)
cat("max |score|:", max(abs(colSums(g$S))), "\n")
print(theta); print(g$ll, digits = 17)
V <- solve(-g$H); print(sqrt(diag(V)))
# Cluster-robust by block, as sandwich::vcovCL(type = "HC1") would scale it (k = p, thresholds included).
U <- rowsum(g$S, d$block); G <- nrow(U)
print(sqrt(diag(V %*% crossprod(U) %*% V * G / (G - 1) * (n - 1) / (n - p))))
print(sqrt(diag(V %*% crossprod(g$S) %*% V * n / (n - p))))   # HC1
