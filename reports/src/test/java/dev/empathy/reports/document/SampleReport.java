package dev.empathy.reports.document;

import dev.empathy.reports.chart.AuditCharts;
import dev.empathy.reports.chart.AuditCharts.Change;
import dev.empathy.reports.chart.AuditCharts.Estimate;
import dev.empathy.reports.chart.AuditCharts.Flag;
import dev.empathy.reports.chart.AuditCharts.GapRow;
import dev.empathy.reports.chart.AuditCharts.HeatCell;
import dev.empathy.reports.chart.AuditCharts.Shares;
import dev.empathy.reports.chart.Charts;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A made-up quarterly audit with every kind of block, for the renderers' tests: four charts
 * (one heat map with a flagged and a suppressed cell), findings, a table, notes and an
 * appendix. One region's name holds HTML and a spreadsheet formula, as data the team does not
 * have might.
 */
final class SampleReport {

    /** A region name that must print as text, never run as markup or a formula. */
    static final String HOSTILE = "<b>&\"'";

    static final String FORMULA = "=HYPERLINK(\"x\")";

    static final String TITLE = "Quarterly empathy audit " + HOSTILE;

    /** A table cell the PDF's text must hold. */
    static final String CELL = "North";

    static final LocalDate RUN = LocalDate.of(2026, 10, 1);

    private SampleReport() {
    }

    static Report build() {
        List<String> regions = List.of("North", "South", "East", "West", HOSTILE, "all");
        List<String> channels = List.of("voice", "chat", "email", "social", "all");
        List<HeatCell> cells = new ArrayList<>();
        for (int r = 0; r < regions.size(); r++) {
            for (int c = 0; c < channels.size(); c++) {
                double score = 58 + 3.1 * r + 2.3 * c + ((r * 7 + c * 3) % 5);
                boolean small = regions.get(r).equals(HOSTILE) && !channels.get(c).equals("all");
                Flag flag = r == 0 && c == 0 ? Flag.BELOW : r == 3 && c == 1 ? Flag.ABOVE : Flag.NONE;
                cells.add(new HeatCell(regions.get(r), channels.get(c), r == 0 && c == 0 ? 49.5 : score,
                        small ? 12 + c : 400 + 37L * r + 11L * c, small ? Flag.NONE : flag, small));
            }
        }
        Charts.Drawing heat = AuditCharts.heatmap("Empathy score by region and channel, 2026Q3",
                "Mean QA empathy score (0-100), 41,220 scored contacts", "region", "channel", "empathy score",
                regions, channels, cells, 30, 1);
        Charts.Drawing changes = AuditCharts.changes("Change from 2026Q2 to 2026Q3", "Mean QA empathy score, points",
                "change in points", List.of(
                        new Change("North / voice", -8.4, -11.9, -4.9, Flag.BELOW),
                        new Change("East / email", -2.1, -5.0, 0.8, Flag.NONE),
                        new Change("South / chat", 0.4, -2.2, 3.0, Flag.NONE),
                        new Change(HOSTILE + " / all", 1.5, -6.0, 9.0, Flag.NONE),
                        new Change("West / chat", 4.6, 1.8, 7.4, Flag.ABOVE)), 1);
        Charts.Drawing sla = AuditCharts.compliance("Public replies within the SLA", "Share of public contacts "
                        + "answered within their reach tier's time", "region", "within SLA",
                List.of("North", "South", "East", "West", HOSTILE),
                List.of(new Shares("2026Q2", new double[] {0.81, 0.77, 0.9, 0.85, 0.6},
                                new double[] {0.77, 0.72, 0.87, 0.81, 0.4}, new double[] {0.85, 0.82, 0.93, 0.89, 0.78}),
                        new Shares("2026Q3", new double[] {0.74, 0.79, 0.92, 0.88, Double.NaN},
                                new double[] {0.7, 0.74, 0.89, 0.84, Double.NaN},
                                new double[] {0.78, 0.84, 0.95, 0.92, Double.NaN})), 0.9);
        Charts.Drawing gap = AuditCharts.gap("In-house and outsourced teams", "Mean QA empathy score with 95% intervals",
                "empathy score", "in-house", "outsourced", List.of(
                        new GapRow("2026Q2", new Estimate(66.1, 65.2, 67.0), new Estimate(61.0, 59.8, 62.2),
                                new Estimate(5.1, 3.6, 6.6)),
                        new GapRow("2026Q3", new Estimate(64.9, 64.0, 65.8), new Estimate(61.7, 60.4, 63.0),
                                new Estimate(3.2, 1.6, 4.8))), 1);
        List<Report.Section> sections = List.of(
                Report.Section.of("Where empathy stands",
                        new Block.Paragraph("This audit compares each region and channel with the rest of the "
                                + "organisation in 2026Q3 and with 2026Q2. Region " + HOSTILE + " is too small to compare "
                                + "by channel. " + FORMULA),
                        new Block.Chart(heat.chart(), heat.width(), heat.height(),
                                "Outlined cells differ from the rest of the organisation after controlling the false "
                                        + "discovery rate at 5%.")),
                Report.Section.of("What changed",
                        new Block.Chart(changes.chart(), changes.width(), changes.height(), ""),
                        new Block.Findings(List.of(
                                new Block.Finding("North voice fell the most.",
                                        "Its score dropped by 8.4 points, from 57.9 to 49.5 (the drop is between 4.9 "
                                                + "and 11.9 points with 95% confidence; 400 scored contacts)."),
                                new Block.Finding("West chat improved.",
                                        "Its score rose by 4.6 points (1.8 to 7.4)."),
                                new Block.Finding(HOSTILE + " was too small to judge.",
                                        "Fewer than 30 scored contacts in each of its channels: " + FORMULA)))),
                Report.Section.of("Public replies",
                        new Block.Chart(sla.chart(), sla.width(), sla.height(),
                                "Region " + HOSTILE + " had no public contacts in 2026Q3."),
                        new Block.Table("Compliance by region, 2026Q3", List.of(
                                new Block.Column("region", false), new Block.Column("public contacts", true),
                                new Block.Column("within SLA", true), new Block.Column("95% interval", false)),
                                List.of(List.of(CELL, "1,204", "74.0%", "70.0% to 78.0%"),
                                        List.of("South", "988", "79.0%", "74.0% to 84.0%"),
                                        List.of(FORMULA, "12", "", "too few to compare"),
                                        List.of(HOSTILE, "0", "", "")))),
                Report.Section.of("In-house and outsourced",
                        new Block.Chart(gap.chart(), gap.width(), gap.height(), ""),
                        new Block.Note("Gaps are in-house minus outsourced, from a regression with standard errors "
                                + "clustered by agent.")));
        List<Report.Section> appendix = List.of(Report.Section.of("Methods",
                new Block.Paragraph("Each cell's mean is compared with the rest of the organisation's by a regression "
                        + "with cluster-robust standard errors by agent. P values are adjusted by Benjamini-Hochberg "
                        + "over the quarter's cells."),
                new Block.Paragraph("Cells with fewer than 30 scored contacts are suppressed: their counts are shown, "
                        + "nothing else, and they are left out of the multiple-comparison count.")));
        return new Report(TITLE, "2026Q3 against 2026Q2 \u2212 41,220 scored contacts", RUN, sections, appendix);
    }
}
