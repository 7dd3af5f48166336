package dev.empathy.lib.regression;

import java.util.Locale;

/**
 * How standard errors are computed.
 *
 * <ul>
 *   <li>{@link #CLASSICAL}: {@code s^2 (X'X)^-1}, {@code s^2 = RSS / (n - k)}.</li>
 *   <li>{@link #HC1}: White's heteroskedasticity-consistent sandwich
 *       {@code (X'X)^-1 (sum e_i^2 x_i x_i') (X'X)^-1}, scaled by {@code n / (n - k)}
 *       (MacKinnon and White 1985; R {@code sandwich::vcovHC(type = "HC1")}, Stata {@code robust}).</li>
 *   <li>{@link #CLUSTER}: one-way cluster-robust CR1, meat {@code sum_g u_g u_g'} with
 *       {@code u_g = sum_{i in g} e_i x_i}, scaled by {@code G/(G-1) (n-1)/(n-k)}; tests and
 *       intervals use t with {@code G - 1} degrees of freedom (Stata {@code vce(cluster)};
 *       R {@code sandwich::vcovCL(type = "HC1")}).</li>
 * </ul>
 */
public enum CovarianceType {
    CLASSICAL, HC1, CLUSTER;

    /** The name used in output files ({@code se_type}) and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CovarianceType parse(String text) {
        for (CovarianceType t : values()) {
            if (t.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("standard errors: '" + text + "' is not one of classical, hc1, cluster");
    }
}
