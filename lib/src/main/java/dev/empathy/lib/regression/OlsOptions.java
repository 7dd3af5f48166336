package dev.empathy.lib.regression;

/**
 * How to fit a linear model.
 *
 * @param covariance            the standard errors
 * @param confidenceLevel       of the intervals, for example 0.95
 * @param collinearityTolerance a column is aliased (dropped, and listed) when the norm of its
 *                              part not explained by the earlier columns is below this fraction
 *                              of its own (centred) norm. R's {@code lm} uses 1e-7, which
 *                              refuses NIST's Filip; the default 1e-10 solves it and still
 *                              catches exact collinearity, which leaves about 1e-15.
 */
public record OlsOptions(CovarianceType covariance, double confidenceLevel, double collinearityTolerance) {

    public OlsOptions {
        if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
            throw new IllegalArgumentException("confidence level " + confidenceLevel + " is not in (0, 1)");
        }
        if (!(collinearityTolerance > 0 && collinearityTolerance < 1)) {
            throw new IllegalArgumentException("collinearity tolerance " + collinearityTolerance + " is not in (0, 1)");
        }
    }

    public static OlsOptions defaults() {
        return new OlsOptions(CovarianceType.CLASSICAL, 0.95, 1e-10);
    }

    public OlsOptions with(CovarianceType type) {
        return new OlsOptions(type, confidenceLevel, collinearityTolerance);
    }

    public OlsOptions withConfidenceLevel(double level) {
        return new OlsOptions(covariance, level, collinearityTolerance);
    }

    public OlsOptions withCollinearityTolerance(double tolerance) {
        return new OlsOptions(covariance, confidenceLevel, tolerance);
    }
}
