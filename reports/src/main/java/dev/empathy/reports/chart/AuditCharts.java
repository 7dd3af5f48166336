package dev.empathy.reports.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Stroke;
import java.awt.geom.Rectangle2D;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYAnnotation;
import org.jfree.chart.annotations.XYBoxAnnotation;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XIntervalSeries;
import org.jfree.data.xy.XIntervalSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The quarterly audit's charts, built as {@link Charts.Drawing}s so that a report document can
 * draw them (a PNG in HTML, vectors in a PDF) and a job can also write them as PNG files. Sized
 * for a page: 1,000 units wide, in the lettering of {@link Charts}. Every chart shows its
 * uncertainty: intervals as whiskers, cells too small to compare greyed, hatched and labelled.
 *
 * <p>Colours carry words beside them (a flagged cell says "below" or "above", a significant change
 * is also named in its row), so that the charts read in black and white.
 */
public final class AuditCharts {

    /** The width every audit chart is drawn at. */
    public static final int WIDTH = 1000;

    static final Color BELOW = new Color(0xc00000);
    static final Color ABOVE = new Color(0x1f4e79);
    /** The outline of a cell above the rest: amber, which stands out from the blue scale. */
    static final Color ABOVE_EDGE = new Color(0xbf8f00);
    static final Color NEUTRAL = new Color(0xa6a6a6);
    static final Color SUPPRESSED = new Color(0xd9d9d9);
    static final Color WHISKER = new Color(0x262626);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private AuditCharts() {
    }

    /** Whether a cell or change differs significantly from its comparison, and which way. */
    public enum Flag {
        /** Significantly below (a decline, a shortfall). */
        BELOW,
        /** Significantly above (an improvement). */
        ABOVE,
        /** Not significantly different. */
        NONE
    }

    /**
     * One cell of the {@link #heatmap}.
     *
     * @param row        its row label (a region)
     * @param column     its column label (a channel)
     * @param value      its score (ignored when suppressed; NaN: no value)
     * @param n          its count, shown in every cell, suppressed or not
     * @param flag       whether it differs from the rest of the organisation
     * @param suppressed true when it has too few scored contacts to compare
     */
    public record HeatCell(String row, String column, double value, long n, Flag flag, boolean suppressed) {
    }

    /**
     * A grid of scores, rows top to bottom and columns left to right in list order, shaded from
     * light to dark blue over the range of the cells that are not suppressed, each with its
     * score (to {@code decimals} decimals) and a second line: its n, or "below"/"above" for a
     * flagged cell, which is also outlined (red below, amber above, on a white halo). A suppressed cell is grey
     * and hatched, with "n&lt;{@code minimum}" and its n. A cell missing from {@code cells} is
     * left blank.
     */
    public static Charts.Drawing heatmap(String title, String subtitle, String rowLabel, String columnLabel,
                                         String valueLabel, List<String> rows, List<String> columns,
                                         List<HeatCell> cells, int minimum, int decimals) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (HeatCell c : cells) {
            if (!c.suppressed() && Double.isFinite(c.value())) {
                lo = Math.min(lo, c.value());
                hi = Math.max(hi, c.value());
            }
        }
        if (!(lo < hi)) {
            // One value or none: a scale of zero length cannot be drawn, widen it by one unit.
            lo = Double.isFinite(lo) ? lo - 1 : 0;
            hi = Double.isFinite(hi) ? hi + 1 : 1;
        }
        ScoreScale scale = new ScoreScale(lo, hi);
        double[] x = new double[cells.size()];
        double[] y = new double[cells.size()];
        double[] z = new double[cells.size()];
        List<XYAnnotation> marks = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            HeatCell c = cells.get(i);
            int column = columns.indexOf(c.column());
            int row = rows.indexOf(c.row());
            if (column < 0 || row < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "heat map '%s': cell (%s, %s) is outside the rows %s and columns %s", title, c.row(), c.column(),
                        rows, columns));
            }
            x[i] = column;
            y[i] = rows.size() - 1 - row;
            z[i] = c.suppressed() ? Double.NaN : c.value();
            String count = "n=" + String.format(Locale.ROOT, "%,d", c.n());
            if (c.suppressed()) {
                marks.addAll(hatch(x[i], y[i]));
                marks.add(text("n<" + minimum, x[i], y[i] + 0.13, 18, Color.BLACK, true));
                marks.add(text(count, x[i], y[i] - 0.2, 14, Color.BLACK, false));
            } else if (Double.isFinite(c.value())) {
                Color ink = scale.dark(c.value()) ? Color.WHITE : Color.BLACK;
                marks.add(text(String.format(Locale.ROOT, "%." + decimals + "f", c.value()), x[i], y[i] + 0.13, 20,
                        ink, true));
                if (c.flag() == Flag.NONE) {
                    marks.add(text(count, x[i], y[i] - 0.2, 14, ink, false));
                } else {
                    marks.add(text(c.flag() == Flag.BELOW ? "below" : "above", x[i], y[i] - 0.2, 15, ink, true));
                    // A white halo under the coloured edge: the outline shows on light and dark cells alike.
                    Rectangle2D edge = new Rectangle2D.Double(x[i] - 0.44, y[i] - 0.44, 0.88, 0.88);
                    marks.add(new XYShapeAnnotation(edge, new BasicStroke(11f), Color.WHITE));
                    marks.add(new XYShapeAnnotation(edge, new BasicStroke(6f), c.flag() == Flag.BELOW ? BELOW : ABOVE_EDGE));
                }
            } else {
                marks.add(text(count, x[i], y[i] - 0.2, 14, Color.BLACK, false));
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("score", new double[][] {x, y, z});
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);
        // A white gap between the cells: each block is a little smaller than its unit square.
        renderer.setBlockWidth(0.97);
        renderer.setBlockHeight(0.97);
        String[] bottomUp = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            bottomUp[rows.size() - 1 - i] = rows.get(i);
        }
        SymbolAxis xAxis = new SymbolAxis(columnLabel, columns.toArray(new String[0]));
        SymbolAxis yAxis = new SymbolAxis(rowLabel, bottomUp);
        for (SymbolAxis a : List.of(xAxis, yAxis)) {
            a.setGridBandsVisible(false);
        }
        // An empty grid still has an axis of one cell: an axis of zero length cannot be drawn.
        xAxis.setRange(-0.5, Math.max(1, columns.size()) - 0.5);
        yAxis.setRange(-0.5, Math.max(1, rows.size()) - 0.5);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setDomainAxisLocation(AxisLocation.TOP_OR_LEFT);
        marks.forEach(plot::addAnnotation);
        JFreeChart chart = decorate(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false), subtitle, plot);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        NumberAxis legendAxis = new NumberAxis(valueLabel);
        legendAxis.setRange(lo, hi);
        Charts.styleAxes(legendAxis);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setStripWidth(14);
        legend.setMargin(8, 60, 4, 60);
        legend.setSubdivisionCount(64);
        chart.addSubtitle(legend);
        // Two short lines (one long line overran the chart's left edge in the PDF); a later bottom
        // subtitle sits above an earlier one, so the second line is added first.
        chart.addSubtitle(key(String.format(Locale.ROOT,
                "Grey and hatched: fewer than %d scored contacts, too small to compare.", minimum)));
        chart.addSubtitle(key("Outlined: differs from the rest of the organisation (red: below, amber: above)."));
        return new Charts.Drawing(Charts.finish(chart), WIDTH, Math.max(560, 260 + 95 * rows.size()));
    }

    /**
     * One row of the {@link #changes} chart: a change (the later value minus the earlier) with its
     * interval. A NaN change draws no bar; a NaN interval draws no whisker.
     *
     * @param label the row's label (a region and channel)
     * @param change the change
     * @param low    the interval's lower end
     * @param high   the interval's upper end
     * @param flag   {@code BELOW} for a significant decline, {@code ABOVE} for a significant improvement
     */
    public record Change(String label, double change, double low, double high, Flag flag) {
    }

    /**
     * Horizontal bars from zero to each change, one row per item (top to bottom in list order),
     * with the interval as a whisker: significant declines red, improvements dark blue, the rest
     * grey. Each row's label carries its figures: "North / voice  -6.4 (-9.7 to -3.1)".
     */
    public static Charts.Drawing changes(String title, String subtitle, String valueLabel, List<Change> items,
                                         int decimals) {
        XIntervalSeries whiskers = new XIntervalSeries("interval");
        String[] labels = new String[items.size()];
        XYErrorRenderer renderer = whiskerRenderer(false);
        for (int i = 0; i < items.size(); i++) {
            Change c = items.get(i);
            int row = items.size() - 1 - i;
            labels[row] = c.label() + "  " + withInterval(c.change(), c.low(), c.high(), decimals);
            if (Double.isFinite(c.change())) {
                Color fill = c.flag() == Flag.BELOW ? BELOW : c.flag() == Flag.ABOVE ? ABOVE : NEUTRAL;
                renderer.addAnnotation(box(Math.min(0, c.change()), row - 0.32, Math.max(0, c.change()), row + 0.32,
                        fill), Layer.BACKGROUND);
                if (Double.isFinite(c.low()) && Double.isFinite(c.high())) {
                    whiskers.add(c.change(), c.low(), c.high(), row);
                } else {
                    whiskers.add(c.change(), c.change(), c.change(), row);
                }
            }
        }
        XIntervalSeriesCollection data = new XIntervalSeriesCollection();
        data.addSeries(whiskers);
        SymbolAxis rows = new SymbolAxis(null, labels);
        rows.setGridBandsVisible(false);
        rows.setRange(-0.6, Math.max(0.6, items.size() - 0.4));
        NumberAxis values = new NumberAxis(valueLabel);
        values.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(data, values, rows, renderer);
        plot.addDomainMarker(new ValueMarker(0, Color.GRAY, new BasicStroke(1.5f)));
        JFreeChart chart = decorate(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false), subtitle, plot);
        plot.setRangeGridlinesVisible(false);
        chart.addSubtitle(key("Bars: the change; whiskers: its 95% interval. Red: a significant decline; "
                + "dark blue: a significant improvement; grey: no significant change."));
        return new Charts.Drawing(Charts.finish(chart), WIDTH, Math.max(360, 200 + 44 * items.size()));
    }

    /**
     * One series of the {@link #compliance} chart: a share (0 to 1) per category with its
     * interval; NaN where the category has no value.
     *
     * @param name  the series' name (a quarter), in the legend
     * @param share the shares, one per category
     * @param low   the intervals' lower ends
     * @param high  the intervals' upper ends
     */
    public record Shares(String name, double[] share, double[] low, double[] high) {
    }

    /**
     * Vertical bars of shares (0% to 100%) over categories (left to right in list order), the
     * series side by side within a category, each with its interval as a whisker, and a dashed
     * line at {@code target} when it is finite.
     */
    public static Charts.Drawing compliance(String title, String subtitle, String categoryLabel, String valueLabel,
                                            List<String> categories, List<Shares> series, double target) {
        XYErrorRenderer renderer = whiskerRenderer(true);
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        YIntervalSeries whiskers = new YIntervalSeries("interval");
        LegendItemCollection legend = new LegendItemCollection();
        double slot = 0.8 / Math.max(1, series.size());
        for (int k = 0; k < series.size(); k++) {
            Shares s = series.get(k);
            if (s.share().length != categories.size() || s.low().length != categories.size()
                    || s.high().length != categories.size()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "compliance chart '%s': series '%s' has %d shares for %d categories", title, s.name(),
                        s.share().length, categories.size()));
            }
            Color fill = Charts.PALETTE[k % Charts.PALETTE.length];
            legend.add(new LegendItem(s.name(), fill));
            for (int i = 0; i < categories.size(); i++) {
                double left = i - 0.4 + k * slot;
                double centre = left + slot / 2;
                if (Double.isFinite(s.share()[i])) {
                    renderer.addAnnotation(box(left + 0.02, 0, left + slot - 0.02, s.share()[i], fill), Layer.BACKGROUND);
                    boolean interval = Double.isFinite(s.low()[i]) && Double.isFinite(s.high()[i]);
                    whiskers.add(centre, s.share()[i], interval ? s.low()[i] : s.share()[i],
                            interval ? s.high()[i] : s.share()[i]);
                }
            }
        }
        data.addSeries(whiskers);
        SymbolAxis x = new SymbolAxis(categoryLabel, categories.toArray(new String[0]));
        x.setGridBandsVisible(false);
        x.setRange(-0.6, Math.max(0.6, categories.size() - 0.4));
        NumberAxis y = new NumberAxis(valueLabel);
        y.setRange(0, 1.05);
        NumberFormat percent = NumberFormat.getPercentInstance(Locale.ROOT);
        y.setNumberFormatOverride(percent);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        if (Double.isFinite(target)) {
            ValueMarker line = new ValueMarker(target, Color.DARK_GRAY, new BasicStroke(2f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
            line.setLabel("target " + Math.round(100 * target) + "%");
            line.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
            line.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
            line.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(line);
        }
        plot.setFixedLegendItems(legend);
        JFreeChart chart = decorate(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), subtitle, plot);
        plot.setDomainGridlinesVisible(false);
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        chart.addSubtitle(key("Whiskers: 95% intervals."));
        return new Charts.Drawing(Charts.finish(chart), WIDTH, 600);
    }

    /**
     * An estimate with its interval.
     *
     * @param value the estimate (NaN: none)
     * @param low   the interval's lower end
     * @param high  the interval's upper end
     */
    public record Estimate(double value, double low, double high) {
    }

    /**
     * One row of the {@link #gap} chart: both groups' values and the gap between them (the first
     * group minus the second), each with its interval.
     *
     * @param label the row's label (a quarter, a region)
     * @param first the first group's value
     * @param second the second group's value
     * @param gap   the first minus the second
     */
    public record GapRow(String label, Estimate first, Estimate second, Estimate gap) {
    }

    /**
     * Two groups compared row by row (top to bottom in list order): each group's value as a point
     * with its interval, a line between the two, and the gap with its interval in the row's label.
     */
    public static Charts.Drawing gap(String title, String subtitle, String valueLabel, String firstGroup,
                                     String secondGroup, List<GapRow> rows, int decimals) {
        XIntervalSeries first = new XIntervalSeries(firstGroup);
        XIntervalSeries second = new XIntervalSeries(secondGroup);
        String[] labels = new String[rows.size()];
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawYError(false);
        renderer.setErrorStroke(new BasicStroke(3f));
        renderer.setCapLength(10);
        renderer.setDefaultShapesVisible(true);
        renderer.setDefaultLinesVisible(false);
        renderer.setSeriesPaint(0, Charts.PALETTE[0]);
        renderer.setSeriesPaint(1, Charts.PALETTE[1]);
        for (int i = 0; i < rows.size(); i++) {
            GapRow r = rows.get(i);
            int row = rows.size() - 1 - i;
            labels[row] = r.label() + ": gap " + withInterval(r.gap().value(), r.gap().low(), r.gap().high(), decimals);
            point(first, r.first(), row + 0.12);
            point(second, r.second(), row - 0.12);
            if (Double.isFinite(r.first().value()) && Double.isFinite(r.second().value())) {
                renderer.addAnnotation(new XYLineAnnotation(r.first().value(), row + 0.12, r.second().value(),
                        row - 0.12, new BasicStroke(2f), NEUTRAL), Layer.BACKGROUND);
            }
        }
        XIntervalSeriesCollection data = new XIntervalSeriesCollection();
        data.addSeries(first);
        data.addSeries(second);
        SymbolAxis axis = new SymbolAxis(null, labels);
        axis.setGridBandsVisible(false);
        axis.setRange(-0.6, Math.max(0.6, rows.size() - 0.4));
        NumberAxis values = new NumberAxis(valueLabel);
        values.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, values, axis, renderer);
        JFreeChart chart = decorate(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), subtitle, plot);
        plot.setRangeGridlinesVisible(false);
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        chart.addSubtitle(key("Points: each group's value; whiskers: 95% intervals; the gap is "
                + firstGroup + " minus " + secondGroup + "."));
        return new Charts.Drawing(Charts.finish(chart), WIDTH, Math.max(360, 220 + 70 * rows.size()));
    }

    private static void point(XIntervalSeries series, Estimate e, double row) {
        if (Double.isFinite(e.value())) {
            boolean interval = Double.isFinite(e.low()) && Double.isFinite(e.high());
            series.add(e.value(), interval ? e.low() : e.value(), interval ? e.high() : e.value(), row);
        }
    }

    /** "-6.4 (-9.7 to -3.1)", "-6.4" without an interval, "no estimate" without a value. */
    static String withInterval(double value, double low, double high, int decimals) {
        if (!Double.isFinite(value)) {
            return "no estimate";
        }
        String text = signed(value, decimals);
        if (Double.isFinite(low) && Double.isFinite(high)) {
            text += " (" + signed(low, decimals) + " to " + signed(high, decimals) + ")";
        }
        return text;
    }

    /** With its sign; a value that rounds to zero is "0.0", never "-0.0" or "+0.0". */
    private static String signed(double value, int decimals) {
        String text = String.format(Locale.ROOT, "%+." + decimals + "f", value);
        return text.substring(1).matches("[0.]+") ? text.substring(1) : text;
    }

    private static XYErrorRenderer whiskerRenderer(boolean vertical) {
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(!vertical);
        renderer.setDrawYError(vertical);
        renderer.setErrorStroke(new BasicStroke(2.5f));
        renderer.setErrorPaint(WHISKER);
        renderer.setCapLength(10);
        renderer.setDefaultShapesVisible(false);
        renderer.setDefaultLinesVisible(false);
        renderer.setDefaultSeriesVisibleInLegend(false);
        return renderer;
    }

    private static XYBoxAnnotation box(double x0, double y0, double x1, double y1, Paint fill) {
        return new XYBoxAnnotation(Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1), null, null,
                fill);
    }

    private static XYTextAnnotation text(String text, double x, double y, int size, Color ink, boolean bold) {
        XYTextAnnotation a = new XYTextAnnotation(text, x, y);
        a.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size));
        a.setPaint(ink);
        return a;
    }

    /** Diagonal lines across a cell's unit square, clipped to it. */
    private static List<XYLineAnnotation> hatch(double cx, double cy) {
        List<XYLineAnnotation> lines = new ArrayList<>();
        Stroke stroke = new BasicStroke(1.5f);
        Color ink = new Color(0x8c8c8c);
        double h = 0.485;
        // Lines x - y = c (in the cell's own coordinates), for c from -0.75 to 0.75.
        for (double c = -0.75; c <= 0.75 + 1e-9; c += 0.25) {
            double x0 = Math.max(-h, -h + c);
            double x1 = Math.min(h, h + c);
            lines.add(new XYLineAnnotation(cx + x0, cy + x0 - c, cx + x1, cy + x1 - c, stroke, ink));
        }
        return lines;
    }

    private static TextTitle key(String text) {
        TextTitle t = new TextTitle(text, new Font(Font.SANS_SERIF, Font.ITALIC, 14));
        t.setPosition(RectangleEdge.BOTTOM);
        t.setPaint(new Color(0x404040));
        return t;
    }

    private static JFreeChart decorate(JFreeChart chart, String subtitle, XYPlot plot) {
        Charts.styleAxes(plot.getDomainAxis(), plot.getRangeAxis());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xd9d9d9));
        plot.setRangeGridlinePaint(new Color(0xd9d9d9));
        chart.addSubtitle(Charts.subtitleOf(subtitle));
        return chart;
    }

    /** From a light blue at the low end to the toolkit's dark blue at the high end; grey without a value. */
    private static final class ScoreScale implements PaintScale {
        private static final Color LOW = new Color(0xdeebf7);
        private static final Color HIGH = new Color(0x08306b);
        private final double lower;
        private final double upper;

        ScoreScale(double lower, double upper) {
            this.lower = lower;
            this.upper = upper;
        }

        @Override
        public double getLowerBound() {
            return lower;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        boolean dark(double value) {
            return share(value) > 0.5;
        }

        private double share(double value) {
            return Math.max(0, Math.min(1, (value - lower) / (upper - lower)));
        }

        @Override
        public Paint getPaint(double value) {
            if (!Double.isFinite(value)) {
                return SUPPRESSED;
            }
            double t = share(value);
            return new Color(mix(LOW.getRed(), HIGH.getRed(), t), mix(LOW.getGreen(), HIGH.getGreen(), t),
                    mix(LOW.getBlue(), HIGH.getBlue(), t));
        }

        private static int mix(int a, int b, double t) {
            return (int) Math.round(a + (b - a) * t);
        }
    }
}
