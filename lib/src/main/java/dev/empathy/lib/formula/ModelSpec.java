package dev.empathy.lib.formula;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A formula with the levels of its categorical columns fixed: the design's column names and a
 * row encoder. It is small and serializable, so the same encoder runs on arrays and inside
 * Spark partitions.
 *
 * <p>Coding: a numeric factor gives its value, {@code log(x)} its natural logarithm, a
 * categorical one indicator per level except the reference (the first level in sorted order;
 * numbers sort by value, text by code point). Without an intercept, the first term that is a
 * single categorical keeps every level, as R does. An interaction multiplies its factors'
 * codes. Names: {@code Intercept}, {@code x}, {@code log(x)}, {@code C(g)[T.b]}, {@code a:b},
 * {@code C(g)[T.b]:x}.
 */
public final class ModelSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Formula formula;
    private final Map<String, List<String>> levels;
    private final List<String> names;
    /** Per term, per factor: whether a categorical keeps its reference level. */
    private final boolean[][] fullCoding;
    /** Per term, its first design column. */
    private final int[] termStart;

    public ModelSpec(Formula formula, Map<String, List<String>> levels) {
        this.formula = formula;
        this.levels = new HashMap<>();
        levels.forEach((k, v) -> this.levels.put(k, List.copyOf(v)));
        this.fullCoding = new boolean[formula.terms().size()][];
        // A Cox model has no intercept but its baseline hazard plays that part: categoricals stay treatment-coded.
        boolean fullUsed = formula.intercept() || formula.isSurvival();
        for (int t = 0; t < formula.terms().size(); t++) {
            List<Factor> factors = formula.terms().get(t).factors();
            fullCoding[t] = new boolean[factors.size()];
            if (!fullUsed && factors.size() == 1 && factors.get(0) instanceof Factor.Categorical) {
                fullCoding[t][0] = true;
                fullUsed = true;
            }
        }
        List<String> n = new ArrayList<>();
        if (formula.intercept()) {
            n.add("Intercept");
        }
        this.termStart = new int[formula.terms().size()];
        for (int t = 0; t < formula.terms().size(); t++) {
            termStart[t] = n.size();
            List<String> parts = List.of("");
            List<Factor> factors = formula.terms().get(t).factors();
            for (int f = 0; f < factors.size(); f++) {
                List<String> labels = labels(factors.get(f), fullCoding[t][f]);
                List<String> next = new ArrayList<>();
                for (String p : parts) {
                    for (String l : labels) {
                        next.add(p.isEmpty() ? l : p + ":" + l);
                    }
                }
                parts = next;
            }
            n.addAll(parts);
        }
        this.names = List.copyOf(n);
    }

    /**
     * Notes for the terms that have no design column because a categorical in them has a single
     * level (treatment coding leaves it nothing to contrast): the term drops out of the model.
     * R's {@code lm} stops there ("contrasts can be applied only to factors with 2 or more
     * levels"); a fit here goes on without the term and carries this note.
     */
    public List<dev.empathy.lib.regression.FitNote> notes() {
        List<dev.empathy.lib.regression.FitNote> notes = new ArrayList<>();
        for (int t = 0; t < formula.terms().size(); t++) {
            int end = t + 1 < termStart.length ? termStart[t + 1] : names.size();
            if (end > termStart[t]) {
                continue;
            }
            List<Factor> factors = formula.terms().get(t).factors();
            for (int f = 0; f < factors.size(); f++) {
                if (factors.get(f) instanceof Factor.Categorical c && levels(c.column()).size() <= (fullCoding[t][f] ? 0 : 1)) {
                    List<String> l = levels(c.column());
                    String term = formula.terms().get(t).factors().stream().map(Factor::label)
                            .collect(java.util.stream.Collectors.joining(":"));
                    notes.add(dev.empathy.lib.regression.FitNote.of(dev.empathy.lib.regression.FitNote.Problem.SINGLE_LEVEL,
                            List.of(term), l.isEmpty() ? "%s has no level on the rows used: the term %s drops out"
                                    : "%s has a single level (%s) on the rows used: the term %s drops out",
                            c.label(), l.isEmpty() ? term : l.get(0), term));
                    break;
                }
            }
        }
        return notes;
    }

    /** The sorted levels of a categorical column's values (numbers sorted by value). */
    public static List<String> sortLevels(java.util.Collection<String> values, boolean numeric) {
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder());
        return sorted;
    }

    /** How a number used as a categorical level is written: integers without a decimal point. */
    public static String levelOf(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private List<String> labels(Factor f, boolean full) {
        if (f instanceof Factor.Categorical c) {
            List<String> l = levels(c.column());
            List<String> out = new ArrayList<>();
            for (int i = full ? 0 : 1; i < l.size(); i++) {
                out.add(c.label() + "[" + (full ? "" : "T.") + l.get(i) + "]");
            }
            return out;
        }
        return List.of(f.label());
    }

    private List<String> levels(String column) {
        List<String> l = levels.get(column);
        if (l == null) {
            throw new IllegalStateException("no levels for categorical column " + column);
        }
        return l;
    }

    public Formula formula() {
        return formula;
    }

    public Map<String, List<String>> levels() {
        return levels;
    }

    /** The design's column names, {@code Intercept} first when there is one. */
    public List<String> names() {
        return names;
    }

    public int width() {
        return names.size();
    }

    /**
     * Writes the design row of {@code row} into {@code out}; false when a value the formula uses
     * is missing (the row is then dropped). A level the spec does not know also drops the row.
     */
    public boolean encode(RowValues row, double[] out) {
        return encode(row, out, new double[width()]);
    }

    /** As {@link #encode(RowValues, double[])} with a caller's scratch array of {@link #width()}, for hot loops. */
    public boolean encode(RowValues row, double[] out, double[] scratch) {
        int at = 0;
        if (formula.intercept()) {
            out[at++] = 1.0;
        }
        for (int t = 0; t < formula.terms().size(); t++) {
            List<Factor> factors = formula.terms().get(t).factors();
            int count = 1;
            scratch[0] = 1.0;
            for (int f = 0; f < factors.size(); f++) {
                Factor factor = factors.get(f);
                if (factor instanceof Factor.Categorical c) {
                    List<String> l = levels(c.column());
                    String value = categoricalValue(row, c.column());
                    if (value == null) {
                        return false;
                    }
                    int index = l.indexOf(value);
                    if (index < 0) {
                        return false;
                    }
                    int offset = fullCoding[t][f] ? 0 : 1;
                    int span = l.size() - offset;
                    // Expand: the existing products times this factor's indicators.
                    for (int p = count - 1; p >= 0; p--) {
                        double base = scratch[p];
                        for (int lv = span - 1; lv >= 0; lv--) {
                            scratch[p * span + lv] = (lv + offset == index) ? base : 0.0;
                        }
                    }
                    count *= span;
                } else {
                    double v = row.number(factor.column());
                    if (Double.isNaN(v)) {
                        return false;
                    }
                    if (factor instanceof Factor.Log) {
                        v = Math.log(v);
                    }
                    for (int p = 0; p < count; p++) {
                        scratch[p] *= v;
                    }
                }
            }
            System.arraycopy(scratch, 0, out, at, count);
            at += count;
        }
        return true;
    }

    /**
     * The design column that term {@code t} fills for a row whose categorical factors have the
     * given levels, or -1 when one of them is a reference level (the term is then zero). Every
     * column of a term is one combination of its categoricals' levels times the product of its
     * numeric factors, so a row's categorical levels pick at most one column per term.
     *
     * @param levelIndex per factor of the term, the index of the row's level in {@link #levels()}
     *                   (ignored for numeric factors)
     */
    public int termColumn(int t, int[] levelIndex) {
        List<Factor> factors = formula.terms().get(t).factors();
        int offset = 0;
        for (int f = 0; f < factors.size(); f++) {
            if (factors.get(f) instanceof Factor.Categorical c) {
                int first = fullCoding[t][f] ? 0 : 1;
                int span = levels(c.column()).size() - first;
                int at = levelIndex[f] - first;
                if (at < 0) {
                    return -1;
                }
                offset = offset * span + at;
            }
        }
        return termStart[t] + offset;
    }

    /** The response (log-transformed when asked), NaN when missing. */
    public double response(RowValues row) {
        double y = row.number(formula.response());
        return formula.logResponse() ? Math.log(y) : y;
    }

    private String categoricalValue(RowValues row, String column) {
        String text = row.text(column);
        if (text != null) {
            return text;
        }
        double v = row.number(column);
        return Double.isNaN(v) ? null : levelOf(v);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s with columns %s", formula, names);
    }
}
