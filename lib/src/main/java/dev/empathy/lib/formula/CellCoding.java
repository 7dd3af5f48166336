package dev.empathy.lib.formula;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A formula's design seen by cells, before any level is known. A <em>cell</em> is one
 * combination of the levels of the formula's categorical columns; within a cell every design
 * column is either zero or one of a few products of numeric factors (the <em>monomials</em>,
 * the constant 1 first). So a design row is {@code x = A(cell) g} with {@code g} the row's
 * monomials and {@code A} a 0/1 matrix fixed by the cell; least squares can be accumulated per
 * cell on {@code g}, which is much narrower than {@code x}, and moved into the design once the
 * levels are known ({@link ModelSpec#termColumn}).
 */
public final class CellCoding implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Formula formula;
    private final List<String> categoricals = new ArrayList<>();
    private final List<String> numerics = new ArrayList<>();
    /** Per monomial, its factors as numeric column indices and whether each is logged. */
    private final List<int[]> monomialColumns = new ArrayList<>();
    private final List<boolean[]> monomialLogs = new ArrayList<>();
    private final int[] termMonomial;
    /** Per term, per factor: the categorical column index, or -1 for a numeric factor. */
    private final int[][] termCategoricals;

    public CellCoding(Formula formula) {
        this.formula = formula;
        List<String> keys = new ArrayList<>();
        keys.add("");
        monomialColumns.add(new int[0]);
        monomialLogs.add(new boolean[0]);
        List<Term> terms = formula.terms();
        termMonomial = new int[terms.size()];
        termCategoricals = new int[terms.size()][];
        for (int t = 0; t < terms.size(); t++) {
            List<Factor> factors = terms.get(t).factors();
            termCategoricals[t] = new int[factors.size()];
            List<Integer> columns = new ArrayList<>();
            List<Boolean> logs = new ArrayList<>();
            StringBuilder key = new StringBuilder();
            for (int f = 0; f < factors.size(); f++) {
                Factor factor = factors.get(f);
                if (factor instanceof Factor.Categorical c) {
                    termCategoricals[t][f] = indexOf(categoricals, c.column());
                    continue;
                }
                termCategoricals[t][f] = -1;
                columns.add(indexOf(numerics, factor.column()));
                logs.add(factor instanceof Factor.Log);
                key.append(factor.label()).append(':');
            }
            int m = keys.indexOf(key.toString());
            if (m < 0) {
                m = keys.size();
                keys.add(key.toString());
                monomialColumns.add(columns.stream().mapToInt(Integer::intValue).toArray());
                boolean[] l = new boolean[logs.size()];
                for (int i = 0; i < l.length; i++) {
                    l[i] = logs.get(i);
                }
                monomialLogs.add(l);
            }
            termMonomial[t] = m;
        }
    }

    private static int indexOf(List<String> list, String value) {
        int i = list.indexOf(value);
        if (i < 0) {
            list.add(value);
            return list.size() - 1;
        }
        return i;
    }

    public Formula formula() {
        return formula;
    }

    /** The categorical columns, in order of first use: a cell is one level of each. */
    public List<String> categoricals() {
        return List.copyOf(categoricals);
    }

    /** The columns used as numbers (plain or logged), in order of first use. */
    public List<String> numerics() {
        return List.copyOf(numerics);
    }

    /** How many monomials, the constant included. */
    public int monomialCount() {
        return monomialColumns.size();
    }

    public int terms() {
        return termMonomial.length;
    }

    /** The monomial that multiplies term {@code t}'s indicator. */
    public int termMonomial(int t) {
        return termMonomial[t];
    }

    /** Per factor of term {@code t}: its categorical column index, or -1 for a numeric factor. */
    public int[] termCategoricals(int t) {
        return termCategoricals[t].clone();
    }

    /** Whether term {@code t} has no categorical factor, so it is never zero by its cell. */
    public boolean isDense(int t) {
        for (int c : termCategoricals[t]) {
            if (c >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The monomials of a row from its numeric values (indexed as {@link #numerics()}, none
     * missing and logged ones positive): {@code g[0] = 1}.
     */
    public void monomials(double[] numeric, double[] g) {
        g[0] = 1.0;
        for (int m = 1; m < g.length; m++) {
            int[] columns = monomialColumns.get(m);
            boolean[] logs = monomialLogs.get(m);
            double v = 1.0;
            for (int i = 0; i < columns.length; i++) {
                double x = numeric[columns[i]];
                v *= logs[i] ? Math.log(x) : x;
            }
            g[m] = v;
        }
    }

    /**
     * The design columns of a cell: per term, the column it fills, or -1 when the cell holds a
     * reference level of one of its categoricals.
     *
     * @param levelIndex per categorical column, the cell's level as an index into the spec's sorted levels
     */
    public int[] designColumns(ModelSpec spec, int[] levelIndex) {
        int[] columns = new int[termMonomial.length];
        for (int t = 0; t < columns.length; t++) {
            int[] cats = termCategoricals[t];
            int[] byFactor = new int[cats.length];
            for (int f = 0; f < cats.length; f++) {
                byFactor[f] = cats[f] < 0 ? 0 : levelIndex[cats[f]];
            }
            columns[t] = spec.termColumn(t, byFactor);
        }
        return columns;
    }
}
