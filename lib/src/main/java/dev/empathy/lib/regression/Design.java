package dev.empathy.lib.regression;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A numeric design matrix held by columns, with its term names. When {@code intercept} is true
 * the first column is the intercept (all ones), named {@code Intercept}.
 */
public record Design(List<String> names, double[][] columns, boolean intercept) {

    public Design {
        names = List.copyOf(names);
        Objects.requireNonNull(columns);
        if (names.size() != columns.length) {
            throw new IllegalArgumentException(names.size() + " names for " + columns.length + " columns");
        }
        for (double[] c : columns) {
            if (c.length != columns[0].length) {
                throw new IllegalArgumentException("columns differ in length");
            }
        }
    }

    /** A design of the given columns, with an intercept column prepended when asked. */
    public static Design of(List<String> names, List<double[]> columns, boolean intercept) {
        List<String> allNames = new ArrayList<>();
        List<double[]> all = new ArrayList<>();
        if (intercept) {
            int n = columns.isEmpty() ? 0 : columns.get(0).length;
            double[] ones = new double[n];
            java.util.Arrays.fill(ones, 1.0);
            allNames.add("Intercept");
            all.add(ones);
        }
        allNames.addAll(names);
        all.addAll(columns);
        return new Design(allNames, all.toArray(double[][]::new), intercept);
    }

    public int rows() {
        return columns.length == 0 ? 0 : columns[0].length;
    }

    public int width() {
        return columns.length;
    }

    double[] row(int i, double[] into) {
        for (int j = 0; j < columns.length; j++) {
            into[j] = columns[j][i];
        }
        return into;
    }

    /**
     * Column means, the shift that centres every column but the intercept; zeros without an
     * intercept, where centring would change the model.
     */
    double[] centringShift() {
        double[] shift = new double[columns.length];
        if (!intercept) {
            return shift;
        }
        int n = rows();
        for (int j = 1; j < columns.length; j++) {
            double s = 0;
            for (double v : columns[j]) {
                s += v;
            }
            shift[j] = n == 0 ? 0 : s / n;
        }
        return shift;
    }
}
