package dev.empathy.reports.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import dev.empathy.reports.io.ReportFolder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XIntervalSeries;
import org.jfree.data.xy.XIntervalSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The toolkit's charts as PNG, sized and lettered to stay readable when pasted into a slide:
 * a title, a subtitle (where n goes), axis labels with units. Rendering is headless.
 */
public final class Charts {

    /** Wide enough for a slide, with 16-point axis labels. */
    static final int WIDTH = 1280;
    static final int HEIGHT = 720;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** One estimate with its interval, for a forest (interval) plot. */
    public record Interval(String label, double estimate, double low, double high) {
    }

    /** One curve with its band. */
    public record Band(String name, double[] x, double[] y, double[] low, double[] high) {
    }

    /**
     * Estimates as points with horizontal interval bars, one row per label (top to bottom in
     * list order), with a reference line at zero.
     */
    public static void intervals(ReportFolder folder, String png, String title, String subtitle, String valueLabel, List<Interval> items) {
        intervals(folder, png, title, subtitle, valueLabel, items, 0);
    }

    /** As {@link #intervals(ReportFolder, String, String, String, String, List)} with the reference line at {@code reference}. */
    public static void intervals(ReportFolder folder, String png, String title, String subtitle, String valueLabel, List<Interval> items,
                                 double reference) {
        XIntervalSeries series = new XIntervalSeries("estimate with 95% interval");
        String[] labels = new String[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Interval it = items.get(i);
            int row = items.size() - 1 - i;
            labels[row] = it.label();
            series.add(it.estimate(), it.low(), it.high(), row);
        }
        XIntervalSeriesCollection data = new XIntervalSeriesCollection();
        data.addSeries(series);
        SymbolAxis rows = new SymbolAxis(null, labels);
        NumberAxis values = new NumberAxis(valueLabel);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawYError(false);
        renderer.setErrorStroke(new BasicStroke(3f));
        renderer.setErrorPaint(new Color(0x1f4e79));
        renderer.setSeriesPaint(0, new Color(0x1f4e79));
        renderer.setDefaultShapesVisible(true);
        renderer.setDefaultLinesVisible(false);
        // Values run along the horizontal (domain) axis, one row per estimate up the vertical one.
        XYPlot plot = new XYPlot(data, values, rows, renderer);
        rows.setGridBandsVisible(false);
        plot.addDomainMarker(new ValueMarker(reference, Color.GRAY, new BasicStroke(1.5f)));
        if (reference != 0) {
            // Keep the reference line in view: the axis spans the intervals and the reference.
            double lo = reference;
            double hi = reference;
            for (Interval it : items) {
                if (Double.isFinite(it.low())) {
                    lo = Math.min(lo, it.low());
                }
                if (Double.isFinite(it.high())) {
                    hi = Math.max(hi, it.high());
                }
            }
            // No interval (or only the reference): an axis of zero length cannot be drawn, pad it.
            double pad = hi > lo ? 0.05 * (hi - lo) : 0.5 * Math.abs(reference);
            values.setRange(lo - pad, hi + pad);
        }
        save(folder, png, decorate(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false), subtitle, plot), WIDTH,
                Math.max(360, 140 + 60 * items.size()));
    }

    /** One series of estimates with intervals, one per category of a {@link #categoryIntervals} chart. */
    public record Series(String name, double[] estimate, double[] low, double[] high) {
    }

    /**
     * Estimates with vertical interval whiskers over categories (in list order along the
     * horizontal axis), one coloured series each, set side by side within a category.
     */
    public static void categoryIntervals(ReportFolder folder, String png, String title, String subtitle, String categoryLabel,
                                         String valueLabel, List<String> categories, List<Series> series) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        double spread = series.size() > 1 ? 0.3 / (series.size() - 1) : 0;
        for (int k = 0; k < series.size(); k++) {
            Series one = series.get(k);
            YIntervalSeries s = new YIntervalSeries(one.name());
            for (int i = 0; i < categories.size(); i++) {
                if (!Double.isNaN(one.estimate()[i])) {
                    s.add(i - 0.15 + k * spread, one.estimate()[i], one.low()[i], one.high()[i]);
                }
            }
            data.addSeries(s);
        }
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setErrorStroke(new BasicStroke(3f));
        renderer.setDefaultShapesVisible(true);
        renderer.setDefaultLinesVisible(false);
        for (int k = 0; k < series.size(); k++) {
            renderer.setSeriesPaint(k, PALETTE[k % PALETTE.length]);
        }
        SymbolAxis x = new SymbolAxis(categoryLabel, categories.toArray(new String[0]));
        x.setGridBandsVisible(false);
        NumberAxis y = new NumberAxis(valueLabel);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        save(folder, png, decorate(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, series.size() > 1), subtitle,
                plot), WIDTH, HEIGHT);
    }

    static final Color[] PALETTE = {new Color(0x1f4e79), new Color(0xc55a11), new Color(0x548235),
        new Color(0x7030a0)};

    /** Vertical bars, one per category, in list order. */
    public static void bars(ReportFolder folder, String png, String title, String subtitle, String categoryLabel, String valueLabel,
                            List<String> categories, List<Double> values) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int i = 0; i < categories.size(); i++) {
            data.addValue(values.get(i), "value", categories.get(i));
        }
        JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, data,
                PlotOrientation.VERTICAL, false, false, false);
        chart.getCategoryPlot().getRenderer().setSeriesPaint(0, new Color(0x1f4e79));
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        chart.getCategoryPlot().setRangeGridlinePaint(new Color(0xd9d9d9));
        styleAxes(chart.getCategoryPlot().getDomainAxis(), chart.getCategoryPlot().getRangeAxis());
        chart.addSubtitle(subtitleOf(subtitle));
        save(folder, png, chart, WIDTH, HEIGHT);
    }

    /** Lines with shaded bands, one per series, with a legend. */
    public static void bands(ReportFolder folder, String png, String title, String subtitle, String xLabel, String yLabel, List<Band> bands) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Band b : bands) {
            YIntervalSeries s = new YIntervalSeries(b.name());
            for (int i = 0; i < b.x().length; i++) {
                s.add(b.x()[i], b.y()[i], b.low()[i], b.high()[i]);
            }
            data.addSeries(s);
        }
        DeviationRenderer renderer = new DeviationRenderer(true, false);
        for (int i = 0; i < bands.size(); i++) {
            Color c = PALETTE[i % PALETTE.length];
            renderer.setSeriesPaint(i, c);
            renderer.setSeriesFillPaint(i, c);
            renderer.setSeriesStroke(i, new BasicStroke(3f));
        }
        renderer.setAlpha(0.15f);
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        save(folder, png, decorate(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), subtitle, plot), WIDTH,
                HEIGHT);
    }

    /**
     * One cell of a {@link #heatmap}: its row and column labels, a share from 0 to 1 that sets its
     * colour (NaN: no value, drawn grey), and the text written in it.
     */
    public record Cell(String row, String column, double value, String text) {
    }

    /**
     * A grid of shares, rows top to bottom and columns left to right in list order, each cell
     * shaded from white (0) to dark blue (1) with its text written in it. A cell missing from
     * {@code cells} is left blank.
     */
    public static void heatmap(ReportFolder folder, String png, String title, String subtitle, String columnLabel,
                               String rowLabel, List<String> rows, List<String> columns, List<Cell> cells) {
        double[] x = new double[cells.size()];
        double[] y = new double[cells.size()];
        double[] z = new double[cells.size()];
        List<XYTextAnnotation> texts = new java.util.ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            int column = columns.indexOf(c.column());
            int row = rows.indexOf(c.row());
            if (column < 0 || row < 0) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "heatmap %s: cell (%s, %s) is outside the rows %s and columns %s", png, c.row(), c.column(),
                        rows, columns));
            }
            x[i] = column;
            y[i] = rows.size() - 1 - row;
            z[i] = c.value();
            if (c.text() != null && !c.text().isEmpty()) {
                XYTextAnnotation text = new XYTextAnnotation(c.text(), x[i], y[i]);
                text.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
                text.setPaint(Double.isFinite(c.value()) && c.value() > 0.5 ? Color.WHITE : Color.BLACK);
                texts.add(text);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("share", new double[][] {x, y, z});
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(new ShareScale());
        String[] bottomUp = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            bottomUp[rows.size() - 1 - i] = rows.get(i);
        }
        SymbolAxis xAxis = new SymbolAxis(columnLabel, columns.toArray(new String[0]));
        SymbolAxis yAxis = new SymbolAxis(rowLabel, bottomUp);
        for (SymbolAxis a : List.of(xAxis, yAxis)) {
            a.setGridBandsVisible(false);
        }
        xAxis.setRange(-0.5, columns.size() - 0.5);
        yAxis.setRange(-0.5, rows.size() - 0.5);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        texts.forEach(plot::addAnnotation);
        JFreeChart chart = decorate(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false), subtitle, plot);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        save(folder, png, chart, WIDTH, Math.max(HEIGHT, 200 + 90 * rows.size()));
    }

    /** White at 0 to the toolkit's dark blue at 1; grey for a cell without a value. */
    private static final class ShareScale implements PaintScale {
        private static final Color LOW = Color.WHITE;
        private static final Color HIGH = new Color(0x1f4e79);

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public java.awt.Paint getPaint(double value) {
            if (!Double.isFinite(value)) {
                return new Color(0xeeeeee);
            }
            double t = Math.max(0, Math.min(1, value));
            return new Color(mix(LOW.getRed(), HIGH.getRed(), t), mix(LOW.getGreen(), HIGH.getGreen(), t),
                    mix(LOW.getBlue(), HIGH.getBlue(), t));
        }

        private static int mix(int a, int b, double t) {
            return (int) Math.round(a + (b - a) * t);
        }
    }

    /**
     * One panel of {@link #panels}: its value-axis label and its points with their intervals
     * (points whose estimate is NaN are left out; an interval that is NaN is drawn as the point).
     */
    public record Panel(String valueLabel, double[] x, double[] estimate, double[] low, double[] high) {
    }

    /**
     * Panels stacked over one shared horizontal axis, each with points and vertical interval
     * whiskers, a grey line at zero and, when {@code marker} is finite, a dashed vertical line at
     * {@code marker} (an event study: the event between its last period before and its first after).
     */
    public static void panels(ReportFolder folder, String png, String title, String subtitle, String xLabel,
                              double marker, List<Panel> panels) {
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        org.jfree.chart.plot.CombinedDomainXYPlot combined = new org.jfree.chart.plot.CombinedDomainXYPlot(x);
        combined.setGap(18);
        for (int k = 0; k < panels.size(); k++) {
            Panel p = panels.get(k);
            YIntervalSeries s = new YIntervalSeries(p.valueLabel());
            for (int i = 0; i < p.x().length; i++) {
                double y = p.estimate()[i];
                if (Double.isFinite(y)) {
                    s.add(p.x()[i], y, Double.isFinite(p.low()[i]) ? p.low()[i] : y,
                            Double.isFinite(p.high()[i]) ? p.high()[i] : y);
                }
            }
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            data.addSeries(s);
            XYErrorRenderer renderer = new XYErrorRenderer();
            renderer.setDrawXError(false);
            renderer.setErrorStroke(new BasicStroke(2.5f));
            Color c = PALETTE[k % PALETTE.length];
            renderer.setSeriesPaint(0, c);
            renderer.setErrorPaint(c);
            renderer.setDefaultShapesVisible(true);
            // Points and whiskers only: a line would bridge the periods without an estimate.
            renderer.setDefaultLinesVisible(false);
            NumberAxis y = new NumberAxis(p.valueLabel());
            XYPlot plot = new XYPlot(data, null, y, renderer);
            plot.addRangeMarker(new ValueMarker(0, Color.GRAY, new BasicStroke(1.5f)));
            if (Double.isFinite(marker)) {
                plot.addDomainMarker(new ValueMarker(marker, Color.DARK_GRAY, new BasicStroke(1.5f,
                        BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f)));
            }
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(new Color(0xd9d9d9));
            plot.setRangeGridlinePaint(new Color(0xd9d9d9));
            styleAxes(y);
            y.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
            combined.add(plot, 1);
        }
        styleAxes(x);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, combined, false);
        chart.addSubtitle(subtitleOf(subtitle));
        save(folder, png, chart, WIDTH, Math.max(HEIGHT, 160 + 260 * panels.size()));
    }

    private static JFreeChart decorate(JFreeChart chart, String subtitle, XYPlot plot) {
        styleAxes(plot.getDomainAxis(), plot.getRangeAxis());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xd9d9d9));
        plot.setRangeGridlinePaint(new Color(0xd9d9d9));
        chart.addSubtitle(subtitleOf(subtitle));
        return chart;
    }

    static void styleAxes(org.jfree.chart.axis.Axis... axes) {
        for (var a : axes) {
            a.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
            a.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
            if (a instanceof NumberAxis n && !(a instanceof SymbolAxis)) {
                n.setStandardTickUnits(new RootTickUnits());
            }
        }
    }

    /**
     * JFreeChart's standard tick units (1, 2 and 5 times a power of ten) with their labels in
     * {@code Locale.ROOT}: "0.5", never "0,5", whatever the machine's locale, so that a chart
     * is the same on every machine. The patterns are JFreeChart's own ({@code NumberTickUnitSource}:
     * a fixed number of decimals down to 0.0001, grouped integers up to a million, exponents
     * beyond), whose symbols would come from the default locale.
     */
    private static final class RootTickUnits implements org.jfree.chart.axis.TickUnitSource, java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final org.jfree.chart.axis.NumberTickUnitSource sizes = new org.jfree.chart.axis.NumberTickUnitSource();

        @Override
        public org.jfree.chart.axis.TickUnit getLargerTickUnit(org.jfree.chart.axis.TickUnit unit) {
            return root(sizes.getLargerTickUnit(unit));
        }

        @Override
        public org.jfree.chart.axis.TickUnit getCeilingTickUnit(org.jfree.chart.axis.TickUnit unit) {
            return root(sizes.getCeilingTickUnit(unit));
        }

        @Override
        public org.jfree.chart.axis.TickUnit getCeilingTickUnit(double size) {
            return root(sizes.getCeilingTickUnit(size));
        }

        private static org.jfree.chart.axis.TickUnit root(org.jfree.chart.axis.TickUnit unit) {
            // The size is 1, 2 or 5 times 10^power.
            int power = (int) Math.floor(Math.log10(unit.getSize()) + 1e-9);
            String pattern = power >= -4 && power <= -1 ? "0." + "0".repeat(-power)
                    : power >= 0 && power <= 6 ? "#,##0" : "#.######E0";
            return new org.jfree.chart.axis.NumberTickUnit(unit.getSize(), new java.text.DecimalFormat(pattern,
                    java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)), unit.getMinorTickCount());
        }
    }

    static TextTitle subtitleOf(String text) {
        return new TextTitle(text, new Font(Font.SANS_SERIF, Font.PLAIN, 16));
    }

    private static void save(ReportFolder folder, String png, JFreeChart chart, int width, int height) {
        new Drawing(finish(chart), width, height).write(folder, png);
    }

    /** The toolkit's white background and bold title on a chart. */
    static JFreeChart finish(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 24));
        return chart;
    }

    /**
     * A chart with the size it is drawn at: pixels of its PNG, points of a PDF before the page
     * scales it. What {@link AuditCharts} builds, for a report document or a PNG file.
     *
     * @param chart  the chart
     * @param width  its width
     * @param height its height
     */
    public record Drawing(JFreeChart chart, int width, int height) {

        /** Writes the chart as the PNG file {@code png} of {@code folder}. */
        public void write(ReportFolder folder, String png) {
            try (OutputStream out = folder.create(png)) {
                ChartUtils.writeChartAsPNG(out, chart, width, height);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write chart " + folder.location(png), e);
            }
        }
    }
}
